import CSVConnector
import Foundation
import MISLinkKit
import Testing

/// An export read a chunk at a time gives exactly what it gives read whole, wherever the chunks
/// are cut: inside a quoted field, between CR and LF, inside a multi-byte character, inside the BOM.
@Suite struct CSVChunkedReaderTests {
    static let text =
        "\u{FEFF}mis_id,name,note\r\n1,Zoë,\"a, b\"\r\n2,Siân,\"two\nlines\"\n\n3,\"say \"\"hi\"\"\",\r\r\n4,李,end"

    private func whole(_ bytes: [UInt8]) -> Result<[CSVRecord], CSVSyntaxError> {
        Result { () throws(CSVSyntaxError) -> [CSVRecord] in try CSVReader.records(in: bytes) }
    }

    private func chunked(_ bytes: [UInt8], size: Int) -> Result<[CSVRecord], CSVSyntaxError> {
        Result { () throws(CSVSyntaxError) -> [CSVRecord] in
            var offset = 0
            var reader = try CSVReader(chunks: {
                guard offset < bytes.count else { return nil }
                defer { offset += size }
                return Array(bytes[offset..<min(bytes.count, offset + size)])
            })
            var records: [CSVRecord] = []
            while let record = try reader.next() { records.append(record) }
            return records
        }
    }

    @Test func everyChunkSizeReadsTheSameRecordsLinesAndOffsets() throws {
        let bytes = Array(Self.text.utf8)
        let expected = try whole(bytes).get()
        #expect(expected.count == 5)
        #expect(expected[2].fields == ["2", "Siân", "two\nlines"])
        for size in [1, 2, 3, 4, 5, 7, 16, 1 << 20] {
            #expect(try chunked(bytes, size: size).get() == expected, "chunks of \(size)")
        }
    }

    @Test func errorsNameTheSameLineAndFieldWhateverTheChunks() {
        for broken in ["a,b\n1,\"open\n2,3", "a,b\n1,\"x\"y\n", "a,b\n1,\u{FF}\n"] {
            var bytes = Array(broken.utf8)
            if broken.contains("\u{FF}") { bytes = Array("a,b\n1,".utf8) + [0xFF] + Array("\n".utf8) }
            let expected = whole(bytes)
            guard case .failure(let error) = expected else {
                Issue.record("\(broken.debugDescription) read without error")
                continue
            }
            for size in [1, 2, 3, 64] {
                guard case .failure(let got) = chunked(bytes, size: size) else {
                    Issue.record("chunks of \(size): no error")
                    continue
                }
                #expect(got == error, "chunks of \(size)")
            }
        }
    }

    @Test func aLongFileDropsWhatItHasReadAndKeepsItsOffsets() throws {
        var text = "mis_id,name\n"
        for n in 0..<40_000 { text += "\(n),\"Pupil \(n)\"\r\n" }
        let bytes = Array(text.utf8)
        let expected = try whole(bytes).get()
        let got = try chunked(bytes, size: 4096).get()
        #expect(got == expected)
        #expect(got.last?.offset == expected.last?.offset)
        #expect(got.last?.line == 40_001)
    }

    @Test func aFailingSourceIsAnUnreadableFileNotABrokenOne() {
        struct DiskGone: Error {}
        var calls = 0
        let result = Result { () throws(CSVSyntaxError) -> [CSVRecord] in
            var reader = try CSVReader(chunks: {
                calls += 1
                if calls == 1 { return Array("a,b\n1,2\n3,".utf8) }
                throw DiskGone()
            })
            var records: [CSVRecord] = []
            while let record = try reader.next() { records.append(record) }
            return records
        }
        guard case .failure(let error) = result, case .unreadable = error.kind else {
            Issue.record("expected an unreadable file, got \(result)")
            return
        }
        #expect(error.line == 3)
    }
}
