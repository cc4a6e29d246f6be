extension ImportPlan {
    /// The target refused the create at `index` (`PluginError.recordRefused`): the step becomes the
    /// person's intake entry, with the target's reason, and the counts follow.
    mutating func refuseCreate(at index: Int, reason: String) {
        guard steps[index].kind == .create else { return }
        steps[index].kind = .intake
        steps[index].detail = reason
        steps[index].candidates = []
        report.added -= 1
        if let created = report.matchedBy["created"] {
            report.matchedBy["created"] = created > 1 ? created - 1 : nil
        }
        report.sendToIntake("refused by the target")
    }
}
