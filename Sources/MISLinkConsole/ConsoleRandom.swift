/// Unguessable identifiers (tokens, session ids, CSRF tokens). `SystemRandomNumberGenerator` reads
/// the kernel's CSPRNG (`getrandom`) on Linux.
enum ConsoleRandom {
    static func hex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var text = ""
        text.reserveCapacity(count * 2)
        for _ in 0..<count {
            let byte = UInt8.random(in: 0...255, using: &generator)
            text += String(byte >> 4, radix: 16) + String(byte & 0x0f, radix: 16)
        }
        return text
    }
}
