import DirectoryTarget
import MISLinkKit
import Synchronization

/// How many more writes the target takes before it "crashes" (nil: no limit), and how many it took.
final class WriteBudget: Sendable {
    let remaining = Mutex<Int?>(nil)
    let writes = Mutex(0)

    func crash(after writes: Int) { remaining.withLock { $0 = writes } }
    func unlimited() { remaining.withLock { $0 = nil } }

    /// Throws once the budget is spent: the run stops between two writes, as a killed worker would.
    func spend() throws {
        try remaining.withLock { left in
            if let value = left {
                guard value > 0 else { throw PluginError.permanent("simulated crash between two writes") }
                left = value - 1
            }
        }
        writes.withLock { $0 += 1 }
    }
}

/// The directory target plugin (same id), whose targets stop after a write budget.
struct CrashingDirectoryPlugin: TargetPlugin {
    let budget: WriteBudget
    private let inner = DirectoryTargetPlugin()

    init(budget: WriteBudget) { self.budget = budget }

    var manifest: PluginManifest { inner.manifest }

    func makeTarget(config: PluginConfig) throws -> any Target {
        CrashingTarget(inner: try inner.makeTarget(config: config), budget: budget)
    }
}

struct CrashingTarget: Target {
    let inner: any Target
    let budget: WriteBudget

    func listPeople(context: PluginContext) async throws -> [TargetPerson] {
        try await inner.listPeople(context: context)
    }

    func create(_ record: PersonRecord, context: PluginContext) async throws -> String {
        try budget.spend()
        return try await inner.create(record, context: context)
    }

    func update(targetID: String, with record: PersonRecord, keepContactDetails: Bool, context: PluginContext) async throws {
        try budget.spend()
        try await inner.update(targetID: targetID, with: record, keepContactDetails: keepContactDetails, context: context)
    }

    func moveToRecycleBin(targetID: String, context: PluginContext) async throws {
        try await inner.moveToRecycleBin(targetID: targetID, context: context)
    }

    func restoreFromRecycleBin(targetID: String, context: PluginContext) async throws {
        try await inner.restoreFromRecycleBin(targetID: targetID, context: context)
    }

    func replaceContacts(of targetID: String, with contacts: [Contact], context: PluginContext) async throws {
        try budget.spend()
        try await inner.replaceContacts(of: targetID, with: contacts, context: context)
    }

    var canDelete: Bool { inner.canDelete }

    func delete(targetID: String, context: PluginContext) async throws {
        try budget.spend()
        try await inner.delete(targetID: targetID, context: context)
    }
}
