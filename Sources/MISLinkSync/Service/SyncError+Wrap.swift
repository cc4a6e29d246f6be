import MISLinkQueue
import SQLiteDB

extension SyncError {
    /// Any error of the layers below as the service's one error type: a queue's not-found stays
    /// not-found and its bad input (a payload over the limit) stays bad input, SQL text is kept to
    /// one line, and anything else is a failed operation.
    static func wrap(_ error: any Error) -> SyncError {
        switch error {
        case let error as SyncError: return error
        case let error as QueueError:
            switch error.code {
            case .notFound: return SyncError(.notFound, error.message)
            case .invalidInput: return SyncError(.invalidInput, error.message)
            case .invalidState, .uniqueConflict: return SyncError(.conflict, error.message)
            }
        case let error as SQLiteError:
            return SyncError(error.isNotADatabase ? .invalidInput : .failed, OneLine.text(error.description))
        default: return SyncError(.failed, OneLine.text("\(error)"))
        }
    }
}
