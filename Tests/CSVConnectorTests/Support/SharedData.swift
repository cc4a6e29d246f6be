import Foundation

/// A file under the shared data folder that sits beside the package (`<package>/../shared/data`),
/// found from this source file's path; nil when it is not there (a checkout without it).
func sharedDataFile(_ relativePath: String, from filePath: String = #filePath) -> URL? {
    var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    while directory.path != "/" {
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
            let file = directory.deletingLastPathComponent().appendingPathComponent("shared/data/\(relativePath)")
            return FileManager.default.fileExists(atPath: file.path) ? file : nil
        }
        directory.deleteLastPathComponent()
    }
    return nil
}
