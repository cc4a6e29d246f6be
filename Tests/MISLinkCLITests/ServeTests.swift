import Foundation
import MISLinkQueue
import Testing
import MISLinkTestSupport

/// `mislink serve` end to end: a real process on loopback, real sockets.
extension MultiProcessTests {
    @Suite(.serialized) struct ServeTests {
        /// Starts `mislink ARGS` and waits for its "listening on" line; answers the process and port.
        private func startServer(_ arguments: [String], in dir: String) async throws -> (Process, UInt16) {
            let console = try await MISLinkBinary.startConsole(arguments, in: dir)
            return (console.process, console.port)
        }

        /// A queue with one noop job, `mislink serve` on a free loopback port over it, and its token.
        private func serveOneJob(in dir: String) async throws -> (Process, UInt16, String) {
            #expect(try await MISLinkBinary.run(["enqueue", "noop"], in: dir).status == 0)
            let (server, port) = try await startServer(["serve", "--listen", "127.0.0.1:0"], in: dir)
            let token = try await MISLinkBinary.run(["serve", "--print-token"], in: dir).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return (server, port, token)
        }

        private func get(_ path: String, port: UInt16, token: String? = nil) async throws -> RawHTTPClient.Response {
            try await send("GET", path, port: port, headers: token.map { ["Authorization: Bearer \($0)"] } ?? [])
        }

        private func post(_ path: String, body: String, port: UInt16, token: String) async throws -> RawHTTPClient.Response {
            try await send(
                "POST", path, port: port, headers: ["Authorization: Bearer \(token)", "Content-Type: application/json"], body: body)
        }

        /// A browser's request: its session cookie, and a form body.
        private func send(
            _ method: String, _ path: String, port: UInt16, cookie: String? = nil, form: String? = nil
        ) async throws -> RawHTTPClient.Response {
            try await send(
                method, path, port: port,
                headers: (cookie.map { ["Cookie: \($0)"] } ?? []) + (form == nil ? [] : ["Content-Type: application/x-www-form-urlencoded"]),
                body: form)
        }

        /// One request over a fresh connection.
        private func send(
            _ method: String, _ path: String, port: UInt16, headers: [String], body: String? = nil
        ) async throws -> RawHTTPClient.Response {
            try await onOwnThread {
                let client = try RawHTTPClient(port: port)
                var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                for header in headers { head += header + "\r\n" }
                if let body { head += "Content-Length: \(body.utf8.count)\r\n" }
                return try client.exchange(head + "\r\n" + (body ?? ""))
            }
        }

        @Test("serve: healthz without a token, 401 without one elsewhere, the API with it; the token file is 0600 and never logged")
        func serve() async throws {
            try await withTemporaryDirectory { dir in
                let (server, port, token) = try await serveOneJob(in: dir)
                defer { kill(server.processIdentifier, SIGTERM) }
                #expect(token.count == 64)
                #expect(try permissions(of: dir + "/mislink.sqlite.token") == 0o600)

                #expect(try await get("/healthz", port: port).status == 200)
                #expect(try await get("/api/jobs", port: port).status == 401)
                #expect(try await get("/api/jobs", port: port, token: String(repeating: "0", count: 64)).status == 401)
                let jobs = try await get("/api/jobs?state=available", port: port, token: token)
                #expect(jobs.status == 200)
                #expect(jobs.header("Content-Security-Policy")?.contains("default-src 'self'") == true)
                let list = try #require(try MISLinkBinary.json(jobs.text) as? [[String: Any]])
                #expect(list.count == 1)
                let enqueued = try await post("/api/jobs", body: #"{"kind": "noop"}"#, port: port, token: token)
                #expect(enqueued.status == 200 || enqueued.status == 201, "\(enqueued.text)")
                #expect(try JobStore(path: dir + "/mislink.sqlite").stats().count(state: .available) == 2)

                kill(server.processIdentifier, SIGTERM)
                await MISLinkBinary.exit(of: server)
                #expect(server.terminationStatus == 0)
                for log in try FileManager.default.contentsOfDirectory(atPath: dir) where log.hasPrefix("serve-") {
                    #expect(try !String(contentsOfFile: dir + "/" + log, encoding: .utf8).contains(token))
                }
            }
        }

        @Test("serve: a browser's session over real sockets: sign-in cookie, pages, a form refused without its CSRF token, the same form with it, sign-out")
        func browserSession() async throws {
            try await withTemporaryDirectory { dir in
                let (server, port, token) = try await serveOneJob(in: dir)
                defer { kill(server.processIdentifier, SIGTERM) }
                let store = try JobStore(path: dir + "/mislink.sqlite")

                #expect(try await send("GET", "/queues", port: port).header("Location") == "/login")
                #expect(try await send("POST", "/login", port: port, form: "token=wrong").status == 401)
                let signIn = try await send("POST", "/login", port: port, form: "token=\(token)")
                #expect(signIn.status == 303)
                let setCookie = try #require(signIn.header("Set-Cookie"))
                #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
                let cookie = String(setCookie.prefix { $0 != ";" })

                let page = try await send("GET", "/queues", port: port, cookie: cookie)
                #expect(page.status == 200)
                let marker = try #require(page.text.range(of: #"name="csrf" value=""#), "\(page.text)")
                let csrf = String(page.text[marker.upperBound...].prefix { $0 != "\"" })
                #expect(!csrf.isEmpty)

                let refused = try await send("POST", "/queues/pause", port: port, cookie: cookie, form: "queue=default")
                #expect(refused.status == 403)
                #expect(try store.pausedQueues().isEmpty, "a refused form changes nothing")
                let paused = try await send("POST", "/queues/pause", port: port, cookie: cookie, form: "queue=default&csrf=\(csrf)")
                #expect(paused.status == 303)
                #expect(try store.pausedQueues().keys.sorted() == ["default"])

                #expect(try await send("POST", "/logout", port: port, cookie: cookie, form: "csrf=\(csrf)").status == 303)
                #expect(try await send("GET", "/queues", port: port, cookie: cookie).header("Location") == "/login")
            }
        }

        @Test("worker --serve runs the console beside the worker, and both stop on SIGTERM")
        func workerServe() async throws {
            try await withTemporaryDirectory { dir in
                #expect(try await MISLinkBinary.run(["enqueue", "noop"], in: dir).status == 0)
                let (worker, port) = try await startServer(["worker", "--serve", "127.0.0.1:0"], in: dir)
                #expect(try await get("/healthz", port: port).status == 200)
                let store = try JobStore(path: dir + "/mislink.sqlite")
                try await waitUntil("the worker to run the job") { try store.stats().count(state: .succeeded) == 1 }
                kill(worker.processIdentifier, SIGTERM)
                await MISLinkBinary.exit(of: worker)
                #expect(worker.terminationStatus == 0)
            }
        }

        @Test("a malformed --listen is refused with exit 2")
        func badListen() async throws {
            try await withTemporaryDirectory { dir in
                #expect(try await MISLinkBinary.run(["enqueue", "noop"], in: dir).status == 0)
                let result = try await MISLinkBinary.run(["serve", "--listen", "localhost"], in: dir)
                #expect(result.status == 2)
                #expect(result.stderr.contains("--listen takes HOST:PORT"))
            }
        }
    }
}
