extension DiscardRefusal {
    /// Sorts a discard's `ids` by the states the back end read for them (a missing id has none):
    /// failed and cancelled ones are deletable, the others refused with why, in `ids`' order, with
    /// the same messages on every back end.
    package static func sort(_ ids: [Int64], states: [Int64: String]) -> (deletable: [Int64], refused: [DiscardRefusal]) {
        var refused: [DiscardRefusal] = []
        var deletable: [Int64] = []
        for id in ids {
            switch states[id].flatMap(JobState.init(rawValue:)) {
            case nil:
                refused.append(DiscardRefusal(id: id, error: QueueError(.notFound, "job \(id) does not exist")))
            case .failed?, .cancelled?:
                deletable.append(id)
            case let state?:
                refused.append(
                    DiscardRefusal(
                        id: id,
                        error: QueueError(
                            .invalidState, "job \(id) is \(state.rawValue); only failed or cancelled jobs can be discarded")))
            }
        }
        return (deletable, refused)
    }
}
