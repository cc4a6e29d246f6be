import DirectoryTarget
import Foundation
import MISLinkKit
import Testing

struct DirectoryTargetPluginTests {
    @Test("declares itself as the directory target with a required db key")
    func manifest() {
        let manifest = DirectoryTargetPlugin().manifest
        #expect(manifest.id == "directory")
        #expect(manifest.role == .target)
        #expect(manifest.kitVersion == .current)
        #expect(manifest.configKeys.map(\.name) == ["db"])
        #expect(manifest.configKeys.first?.required == true)
    }

    @Test("refuses a configuration without db")
    func requiresDB() {
        #expect(throws: PluginError.permanent("directory: configuration key 'db' is not set")) {
            try DirectoryTargetPlugin().makeTarget(config: PluginConfig())
        }
    }

    @Test("works as a Target through the plugin: create, list, update, recycle and restore")
    func throughThePlugin() async throws {
        try await withTemporaryStore { store, path in
            let target = try DirectoryTargetPlugin().makeTarget(config: PluginConfig(values: ["db": path]))
            let context = PluginContext.silent
            let id = try await target.create(People.ann, context: context)
            try await target.update(targetID: id, with: People.annUpdated, keepContactDetails: true, context: context)
            try await target.moveToRecycleBin(targetID: id, context: context)
            var ann = try #require(try await target.listPeople(context: context).first)
            #expect(ann.name.legalSurname == "Smith-Jones")
            #expect(ann.email == "ann@example.org")
            #expect(ann.inRecycleBin)
            try await target.restoreFromRecycleBin(targetID: id, context: context)
            // The admin tools' store on the same file sees what the target did.
            ann = try #require(try await store.person(id))
            #expect(!ann.inRecycleBin)
            await #expect(throws: PluginError.permanent("directory: no person with target id 'P404'")) {
                try await target.moveToRecycleBin(targetID: "P404", context: context)
            }
        }
    }
}
