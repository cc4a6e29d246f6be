/// A command that cannot go on: the one-line message for stderr and the exit code.
///
/// Exit codes: 0 success, 1 a failed operation, 2 bad usage or bad input.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    let exitCode: Int32

    static func usage(_ message: String) -> CLIError { CLIError(message: message, exitCode: ExitCode.usage) }
    static func failure(_ message: String) -> CLIError { CLIError(message: message, exitCode: ExitCode.failure) }

    var description: String { message }
}

enum ExitCode {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 2
}
