import MISLinkSync
import Testing

@Suite struct StateTableTests {
    // Seed 000's table, typed out again here on purpose, cell by cell.
    //                   on/off  absence contract staff  rerun  rematch remove
    static let seed: [(IntegrationStatus, [Bool])] = [
        (.on, [true, true, true, true, true, true, true]),
        (.off, [true, true, true, true, true, true, true]),
        (.pending, [false, false, false, false, true, false, true]),
        (.ready, [false, false, false, false, false, false, true]),
        (.error, [false, true, true, true, true, true, true]),
    ]
    static let actions: [IntegrationAction] = [
        .turnIntegrationOnOff, .absenceSync, .contractSync, .staffSync, .rerunWizard, .rematch, .remove,
    ]
    static let cells: [(IntegrationStatus, IntegrationAction, Bool)] = seed.flatMap { status, row in
        zip(actions, row).map { (status, $0.0, $0.1) }
    }

    @Test("every cell of the state table is as seed 000 writes it", arguments: cells)
    func cell(status: IntegrationStatus, action: IntegrationAction, allowed: Bool) {
        #expect(StateTable.allows(action, in: status) == allowed)
    }

    @Test("a refusal names the status that refuses it")
    func refusalNamesStatus() throws {
        let error = try #require(throws: SyncError.self) {
            try StateTable.check(.rematch, integration: "oak", status: .pending)
        }
        #expect(error.code == .refused)
        #expect(error.message.contains("Pending"))
        #expect(error.message.contains("re-match"))
    }
}
