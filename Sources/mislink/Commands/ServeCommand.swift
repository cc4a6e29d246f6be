import Dispatch
import Foundation
import MISLinkConsole
import MISLinkHTTP
import MISLinkKit
import MISLinkRunner
import MISLinkSync

/// `mislink serve`: the console's JSON API, `/metrics` and `/healthz` over the small HTTP server.
enum ServeCommand {
    static let defaultListen = "127.0.0.1:8440"

    static let command = Command(
        "serve", summary: "serve the admin console's JSON API, /metrics and /healthz (loopback by default)",
        details: """
            Every path but /healthz needs the console token: 'Authorization: Bearer TOKEN' from scripts and
            Prometheus, or a session cookie from POST /login. The token lives in a 0600 file (default: the
            database's path + .token), made on first start; --print-token shows it, --rotate-token
            replaces it. Binding anything but loopback needs --listen given explicitly, and then a TLS
            reverse proxy in front (see README). SIGTERM or SIGINT stops it.
            """,
        specs: [
            .option("listen", "HOST:PORT", "where to listen (default \(defaultListen); port 0 picks a free one)"),
            .option("token-file", "PATH", "the token file (default: the SQLite database's path + .token;\n./mislink-console.token for a queue on PostgreSQL)"),
            .flag("print-token", "print the token (making it if there is none) and exit"),
            .flag("rotate-token", "replace the token with a new one, print it and exit"),
            .flag("secure-cookies", "mark the session cookie Secure (behind a TLS reverse proxy)"),
            .repeated("trusted-proxy", "ADDR", "a reverse proxy's address whose X-Forwarded-For names the client, for the\nsign-in rate limit (repeatable)"),
            LogWriter.spec,
        ],
        run: run)

    static func run(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        let logger = try LogWriter.from(arguments)
        let tokenPath = arguments.value("token-file") ?? context.defaultTokenPath
        if arguments.flag("rotate-token") {
            print(try ConsoleToken.rotate(path: tokenPath).value)
            return 0
        }
        let token = try ConsoleToken.loadOrCreate(path: tokenPath)
        if arguments.flag("print-token") {
            print(token.value)
            return 0
        }
        let server = try startConsole(
            listen: arguments.value("listen") ?? defaultListen, token: token, secureCookies: arguments.flag("secure-cookies"),
            trustedProxies: Set(arguments.all("trusted-proxy")), context: context, logger: logger)
        let stopped = DispatchSemaphore(value: 0)
        let signals = StopSignals.install(log: logger, message: "signal received: stopping the console") { _ in stopped.signal() }
        stopped.wait()
        server.stop()
        withExtendedLifetime(signals) {}
        logger.write(.info, "console stopped")
        return 0
    }

    /// The console on `listen` (`mislink serve`, or `mislink worker --serve` beside the worker). A
    /// non-loopback address is only ever one given explicitly, and gets a warning.
    static func startConsole(
        listen: String, token: ConsoleToken, secureCookies: Bool, trustedProxies: Set<String> = [], context: CLIContext,
        logger: LogWriter
    ) throws -> HTTPServer {
        let (host, port) = try listenAddress(listen)
        if !isLoopback(host) {
            logger.write(.warning, "listening on \(host), beyond this machine: put a TLS reverse proxy in front (see README), and pass --secure-cookies")
        }
        var configuration = ConsoleConfiguration()
        configuration.secureCookies = secureCookies
        configuration.trustedProxies = trustedProxies
        let console = Console(environment: try context.syncEnvironment(), token: token.value, configuration: configuration)
        return try serve(console, host: host, port: port, logger: logger)
    }

    /// Starts the server and says where (a test reads the port from this line when it asked for 0).
    static func serve(_ console: Console, host: String, port: UInt16, logger: LogWriter) throws -> HTTPServer {
        let server: HTTPServer
        do {
            server = try HTTPServer(host: host, port: port) { request in await console.handle(request) }
        } catch {
            throw CLIError.failure("cannot listen on \(host):\(port): \(error)")
        }
        server.start()
        logger.write(.info, "console listening on http://\(host.contains(":") ? "[\(host)]" : host):\(server.port)")
        return server
    }

    /// `HOST:PORT` (IPv6 as `[::1]:8440`).
    static func listenAddress(_ text: String) throws(CLIError) -> (String, UInt16) {
        var host = text
        var portText = ""
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            portText = String(text[text.index(after: close)...].dropFirst())
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
        }
        guard !host.isEmpty, let port = UInt16(portText) else {
            throw CLIError.usage("--listen takes HOST:PORT (such as 127.0.0.1:8440), not '\(text)'")
        }
        return (host, port)
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
