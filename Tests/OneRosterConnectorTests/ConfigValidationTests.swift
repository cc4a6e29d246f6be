import Foundation
import MISLinkKit
import MISLinkTestSupport
import Testing

@testable import OneRosterConnector

/// `validate(config:)`, called at `integration add` and `set`: each mistake named with its key.
struct ConfigValidationTests {
    private func refusal(_ values: [String: String]) -> String? {
        do {
            try OneRosterConnectorPlugin().validate(config: PluginConfig(values: values))
            return nil
        } catch let error as PluginError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func aPublicBundleFolderIsAccepted() {
        #expect(refusal(["dir": PublicBundles.mockroster.path]) == nil)
        #expect(refusal(["dir": PublicBundles.onerosterImport.path, "school": "12345", "grade-map": "us-age,PS=N1", "upn": "identifier"]) == nil)
    }

    @Test func aRESTConfigurationIsAcceptedWithoutItsSecret() {
        #expect(refusal(["url": "https://roster.example/ims/oneroster/v1p1", "client-id": "mislink", "limit": "250"]) == nil)
        #expect(refusal(["url": "http://127.0.0.1:8080/v1p1", "client-id": "x", "token-url": "https://auth.example/token", "client-auth": "form", "delta": "full"]) == nil)
    }

    @Test(arguments: [
        ([:], "either 'dir'"),
        (["dir": "/tmp", "url": "https://x.example"], "both set"),
        (["dir": "/nonexistent-\(UUID().uuidString)"], "manifest.csv"),
        (["url": "ftp://roster.example/v1p1", "client-id": "x"], "'url'"),
        (["url": "roster.example/v1p1", "client-id": "x"], "'url'"),
        (["url": "https://roster.example/v1p1"], "'client-id'"),
        (["url": "https://roster.example/v1p1", "client-id": "x", "token-url": "file:///etc/passwd"], "'token-url'"),
        (["url": "https://roster.example/v1p1", "client-id": "x", "limit": "0"], "'limit'"),
        (["url": "https://roster.example/v1p1", "client-id": "x", "limit": "ten"], "'limit'"),
        (["url": "https://roster.example/v1p1", "client-id": "x", "delta": "sometimes"], "'delta'"),
        (["url": "https://roster.example/v1p1", "client-id": "x", "client-auth": "digest"], "'client-auth'"),
        (["dir": PublicBundles.mockroster.path, "grade-map": "KG"], "'grade-map'"),
        (["dir": PublicBundles.mockroster.path, "upn": "admission-number"], "'upn'"),
        (["dir": PublicBundles.mockroster.path, "staff-roles": "teacher,parent"], "'staff-roles'"),
        (["dir": PublicBundles.mockroster.path, "client-id": "x"], "'client-id' applies to the REST binding"),
    ])
    func aBadConfigurationIsRefusedNamingTheKey(values: [String: String], expected: String) {
        let message = refusal(values)
        #expect(message?.contains(expected) == true, "\(message ?? "accepted")")
    }

    @Test func aFolderWithoutManifestIsRefused() throws {
        try withTemporaryDirectory { path in
            let message = refusal(["dir": path])
            #expect(message?.contains("no manifest.csv") == true)
            #expect(message?.contains(path) == true)
        }
    }

    @Test func theClientSecretIsASecretKey() {
        let keys = OneRosterConnectorPlugin().manifest.configKeys
        #expect(keys.filter(\.secret).map(\.name) == ["client-secret"])
    }
}
