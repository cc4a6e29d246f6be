import Testing

/// The suites that start worker processes of their own, taking turns: each loads both cores, and
/// run side by side they would starve every other test of CPU.
@Suite(.serialized) enum MultiProcessTests {}
