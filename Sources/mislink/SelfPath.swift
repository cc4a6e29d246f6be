import Foundation

/// How to type this binary in a printed command so that it works as printed: `mislink` when that
/// name on the PATH is this very binary, else its full path (`swift run` puts it under .build/).
enum SelfPath {
    static var commandName: String {
        guard let own = executablePath() else { return "mislink" }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("mislink").path
            if FileManager.default.isExecutableFile(atPath: candidate),
                URL(fileURLWithPath: candidate).resolvingSymlinksInPath().path == own
            {
                return "mislink"
            }
        }
        return own.contains(" ") ? "'\(own)'" : own
    }

    /// This process's binary, symlinks resolved (Linux: /proc/self/exe).
    static func executablePath() -> String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
    }
}
