import Foundation
import MISLinkConsole
import MISLinkSync
import MISLinkTestSupport
import Testing

struct ConsoleTokenTests {
    @Test("the token file is made 0600 on first start, whatever the umask, and read back after")
    func madeOnceThenRead() throws {
        try withTemporaryDirectory { dir in
            let path = ConsoleToken.defaultPath(databasePath: dir + "/queue.sqlite")
            #expect(path == dir + "/queue.sqlite.token")
            let made = try withUmask(0o000) { try ConsoleToken.loadOrCreate(path: path) }
            #expect(try permissions(of: path) == 0o600)
            #expect(made.value.count == 64 && made.value.allSatisfy(\.isHexDigit))
            #expect(try ConsoleToken.loadOrCreate(path: path).value == made.value)
            #expect(try ConsoleToken.load(path: path).value == made.value)
        }
    }

    @Test("rotate replaces the token and keeps the file 0600")
    func rotateReplaces() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/t.token"
            let first = try ConsoleToken.loadOrCreate(path: path)
            let second = try withUmask(0o000) { try ConsoleToken.rotate(path: path) }
            #expect(second.value != first.value)
            #expect(try ConsoleToken.load(path: path).value == second.value)
            #expect(try permissions(of: path) == 0o600)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["t.token"])
        }
    }

    @Test("a token file others may read is refused, naming the file and the fix")
    func refusesOpenMode() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/t.token"
            _ = try ConsoleToken.loadOrCreate(path: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            let error = try #require(throws: SyncError.self) { try ConsoleToken.load(path: path) }
            #expect(error.message.contains(path) && error.message.contains("chmod 600"))
        }
    }

    @Test("a file that holds no token is refused without echoing what it holds")
    func refusesGarbage() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/t.token"
            _ = FileManager.default.createFile(atPath: path, contents: Data("hunter2-password\n".utf8), attributes: [.posixPermissions: 0o600])
            let error = try #require(throws: SyncError.self) { try ConsoleToken.load(path: path) }
            #expect(error.message.contains(path))
            #expect(!error.message.contains("hunter2"))
        }
    }

    @Test("interpolating a token never shows its value")
    func descriptionHidesValue() throws {
        try withTemporaryDirectory { dir in
            let token = try ConsoleToken.loadOrCreate(path: dir + "/t.token")
            #expect(!"\(token)".contains(token.value))
            #expect(!String(describing: token).contains(token.value))
        }
    }
}
