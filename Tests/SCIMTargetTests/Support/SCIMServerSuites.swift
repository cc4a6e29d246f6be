import Testing

/// The suites that start a scim2-server per test, taking turns: each start loads Python and pydantic,
/// and a dozen at once on two cores would starve the timing of every other test in the run.
@Suite(.serialized) enum SCIMServerSuites {}
