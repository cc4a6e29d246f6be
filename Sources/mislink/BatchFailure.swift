import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// A batch line that stopped a batch: its index from 1 (0: no one line is to blame), and why.
struct BatchFailure: Error {
    let index: Int
    let error: CLIError
}

extension QueueError {
    /// Bad input is exit 2, as everywhere; the rest exit 1.
    var cliError: CLIError { code == .invalidInput ? .usage(message) : .failure(message) }
}
