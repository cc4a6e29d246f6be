import Foundation
import MISLinkKit
import MISLinkTestSupport
import Testing

@testable import WondeConnector

struct WondeSettingsTests {
    private func settings(_ values: [String: String]) throws -> WondeSettings {
        try WondeSettings(config: PluginConfig(values: ["school": "A1930499544"].merging(values) { $1 }))
    }

    @Test("the domain defaults to api.wonde.com over https; a region's domain or a URL may be given")
    func domains() throws {
        #expect(try settings([:]).baseURL.absoluteString == "https://api.wonde.com/v1.0/")
        #expect(
            try settings(["domain": "api-ap-southeast-2.wonde.com"]).baseURL.absoluteString
                == "https://api-ap-southeast-2.wonde.com/v1.0/")
        #expect(
            try settings(["domain": "http://127.0.0.1:8123"]).baseURL.absoluteString == "http://127.0.0.1:8123/v1.0/")
        #expect(try settings(["domain": "http://127.0.0.1:8123"]).domain == "127.0.0.1:8123")
    }

    @Test(
        "refused values name the key",
        arguments: [
            ("domain", "http://api.wonde.com"), ("domain", "https://api.wonde.com?x=1"), ("per-page", "0"),
            ("per-page", "many"),
            ("auth", "digest"), ("registration", "houses"), ("registration", "classes:(["),
            ("pre-admissions", "sometimes"),
            ("state-dir", "/no/such/folder"), ("writeback-wait", "-1"), ("resend-unanswered", "perhaps"),
        ])
    func refused(key: String, value: String) throws {
        #expect {
            try WondeConnectorPlugin().validate(config: PluginConfig(values: ["school": "A1", key: value]))
        } throws: { error in
            (error as? PluginError)?.message.contains("'\(key)'") == true
        }
    }

    @Test("validate accepts a full configuration, and the manifest marks the token secret")
    func accepted() throws {
        try withTemporaryDirectory { dir in
            try WondeConnectorPlugin().validate(
                config: PluginConfig(values: [
                    "school": "A1930499544", "domain": "api-af-south-1.wonde.com", "per-page": "100", "auth": "basic",
                    "registration": "classes:^[0-9]+[A-Z]$", "pre-admissions": "off", "state-dir": dir,
                    "writeback-wait": "5",
                    "writeback-written": "ok", "writeback-failed": "no",
                ]))
        }
        let keys = WondeConnectorPlugin().manifest.configKeys
        #expect(keys.filter(\.secret).map(\.name) == ["token"])
        #expect(keys.filter(\.required).map(\.name) == ["school", "token"])
    }
}
