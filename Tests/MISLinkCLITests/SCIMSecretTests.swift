import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import MISLinkTestSupport
import Testing

/// The `scim` target through the real `mislink` binary and the real scim2-server: the bearer token
/// does its work (users arrive) and appears nowhere MISLink prints or stores anything.
@Suite struct SCIMSecretTests {
    private static let studentHeader =
        "mis_id,upn,legal_forename,legal_surname,preferred_forename,preferred_surname,date_of_birth,gender,year_group,reg_group,email,mobile,address,postcode,start_date,end_date,status,consent"

    @Test("a csv → scim integration's whole life, run with --verbose, never shows the SCIM token; a wrong one puts it in Error")
    func tokenNeverShown() async throws {
        try await withSCIMServer { server in
            try await withTemporaryDirectory { dir in
                let mis = dir + "/mis"
                try FileManager.default.createDirectory(atPath: mis, withIntermediateDirectories: true)
                let pupils = ["M1,,Amy,Lee,,,2018-01-01,F,2,2A,amy@pupils.example,,,,2022-09-01,,active,",
                              "M2,,Ben,Ng,,,2018-02-02,M,2,2A,,,,,2022-09-01,,active,"]
                try ([Self.studentHeader] + pupils).joined(separator: "\n").write(toFile: mis + "/students.csv", atomically: true, encoding: .utf8)
                try (Self.studentHeader + ",expected_start_date").write(toFile: mis + "/preadmissions.csv", atomically: true, encoding: .utf8)
                try "mis_id,ni_number,title,legal_forename,legal_surname,preferred_forename,preferred_surname,date_of_birth,gender,post,email,mobile,address,postcode,start_date,end_date,status,consent"
                    .write(toFile: mis + "/staff.csv", atomically: true, encoding: .utf8)
                try "mis_id,student_mis_id,relationship,forename,surname,email,mobile,priority,parental_responsibility"
                    .write(toFile: mis + "/contacts.csv", atomically: true, encoding: .utf8)
                let environment = ["SCIM_TOKEN": server.token]
                var printed = ""
                func mislink(_ arguments: [String], expect status: Int32 = 0) async throws -> String {
                    let run = try await MISLinkBinary.run(arguments, in: dir, environment: environment)
                    printed += run.stdout + run.stderr
                    #expect(run.status == status, "mislink \(arguments.joined(separator: " ")): \(run.stderr)")
                    return run.stdout
                }
                // A broken template or a token given as a value is refused at add, naming the key.
                let refused = try await MISLinkBinary.run(
                    ["integration", "add", "elm", "--connector", "csv", "--target", "scim", "--config", "dir=\(mis)",
                     "--config", "scim-url=\(server.url.absoluteString)", "--config", "user-name={first}.{surname}@elm.example",
                     "--secret", "scim-token=env:SCIM_TOKEN"], in: dir, environment: environment)
                #expect(refused.status == 2 && refused.stderr.contains("unknown placeholder {first}"), "\(refused.stderr)")
                let plain = try await MISLinkBinary.run(
                    ["integration", "add", "elm", "--connector", "csv", "--target", "scim", "--config", "dir=\(mis)",
                     "--config", "scim-url=\(server.url.absoluteString)", "--config", "user-name={forename}@elm.example",
                     "--config", "scim-token=\(server.token)"], in: dir, environment: environment)
                #expect(plain.status == 2 && plain.stderr.contains("'scim-token' is a secret"), "\(plain.stderr)")
                printed += refused.stdout + refused.stderr + plain.stdout + plain.stderr
                _ = try await mislink([
                    "integration", "add", "oak", "--connector", "csv", "--target", "scim", "--config", "dir=\(mis)",
                    "--config", "scim-url=\(server.url.absoluteString)", "--config", "user-name={forename}.{surname}{n}@oak.example",
                    "--config", "groups=on", "--secret", "scim-token=env:SCIM_TOKEN",
                ])
                _ = try await mislink(["integration", "set", "oak", "new-records=create"])
                _ = try await mislink(["enqueue", "rerun-wizard", "--integration", "oak"])
                _ = try await mislink(["worker", "--drain", "--verbose"])
                _ = try await mislink(["integration", "go-live", "oak"])
                _ = try await mislink(["worker", "--drain", "--verbose"])
                _ = try await mislink(["enqueue", "nightly-import", "--integration", "oak"])
                _ = try await mislink(["worker", "--drain", "--verbose", "--log-format", "json"])
                let shown = try await mislink(["integration", "show", "oak"])
                #expect(shown.contains("status:          On\n"), "\(shown)")
                #expect(shown.contains("scim-token"))
                let people = try await mislink(["target", "list", "--integration", "oak", "--json"])
                #expect(people.contains("\"misId\" : \"M1\"") && people.contains("\"misId\" : \"M2\""), "\(people)")
                for id in 1...3 { _ = try await mislink(["jobs", "show", String(id), "--full"]) }
                _ = try await mislink(["jobs", "list", "--json"])
                _ = try await mislink(["imports", "list", "--integration", "oak", "--json"])
                let plugins = try await mislink(["plugins"])
                #expect(plugins.contains("scim") && plugins.contains("scim-token"), "\(plugins)")
                #expect(try await SCIMAdmin(server).userNames() == ["amy.lee@oak.example", "ben.ng@oak.example"])

                // A wrong token: the next import fails for good and the integration goes to Error.
                let wrong = "wrong-scim-token-\(UUID().uuidString)"
                let failed = try await MISLinkBinary.run(["enqueue", "nightly-import", "--integration", "oak"], in: dir, environment: ["SCIM_TOKEN": wrong])
                printed += failed.stdout + failed.stderr
                let worker = try await MISLinkBinary.run(["worker", "--drain", "--verbose"], in: dir, environment: ["SCIM_TOKEN": wrong])
                printed += worker.stdout + worker.stderr
                let broken = try await mislink(["integration", "show", "oak"])
                #expect(broken.contains("status:          Error ("), "\(broken)")
                #expect(broken.contains("credentials refused by SCIM server (401"))
                _ = try await mislink(["jobs", "failed"])

                #expect(printed.contains("SCIM server: GET /v2/Users"), "the verbose log shows the requests")
                for secret in [server.token, wrong] {
                    #expect(!printed.contains(secret), "the token was printed")
                    for file in ["mislink.sqlite", "mislink.sqlite-wal", "mislink.sqlite-shm"] {
                        let bytes = FileManager.default.contents(atPath: dir + "/" + file) ?? Data()
                        #expect(bytes.range(of: Data(secret.utf8)) == nil, "the token is in \(file)")
                    }
                }
            }
        }
    }
}

/// Reads the server as its admin would, to see what MISLink made there.
private struct SCIMAdmin {
    let server: SCIMServer

    init(_ server: SCIMServer) { self.server = server }

    func userNames() async throws -> [String] {
        var request = URLRequest(url: server.url.appendingPathComponent("Users"))
        request.setValue("Bearer " + server.token, forHTTPHeaderField: "Authorization")
        let (data, _) = try await URLSession.shared.data(for: request)
        let resources = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["Resources"] as? [[String: Any]] ?? []
        return resources.compactMap { $0["userName"] as? String }.sorted()
    }
}
