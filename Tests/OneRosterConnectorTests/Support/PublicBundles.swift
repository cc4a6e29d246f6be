import Foundation

/// The two real, public OneRoster bundles in the shared data folder, read in place (never copied
/// into the repository): `../shared/data/oneroster/` beside the package root.
enum PublicBundles {
    static let root: URL = {
        var dir = URL(fileURLWithPath: #filePath)
        // Tests/OneRosterConnectorTests/Support/PublicBundles.swift → the package root.
        for _ in 0..<4 { dir.deleteLastPathComponent() }
        return dir.deletingLastPathComponent().appendingPathComponent("shared/data/oneroster")
    }()

    /// ClassLink's sample district (GPL-3.0 repository): 3 schools, 140 students, 40 teachers.
    static let mockroster = root.appendingPathComponent("mockroster")
    /// A small import sample in 1.0-style columns (GPL-2.0 repository): 2 students, 2 schools.
    static let onerosterImport = root.appendingPathComponent("oneroster-import")
}
