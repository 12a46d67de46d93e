import Foundation
import Testing

@testable import GCImportKit

/// A string written from bytes reads back as itself, wherever in its 8-byte words the characters to escape
/// fall (the writer copies whole words until one needs an escape), and stays raw UTF-8 otherwise.
@Test func stringsRoundTripWhereverTheirEscapesFall() throws {
    var generator = SystemRandomNumberGenerator()
    let pieces: [String] = ["a", "Я", "\"", "\\", "\n", "\t", "\u{01}", "\u{1F}", " ", "€", "z9", "\u{7F}"]
    for length in 0..<40 {
        for _ in 0..<40 {
            let text = (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
            var writer = JSONWriter()
            writer.beginArray()
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { writer.string($0) }
            writer.endArray()
            let parsed = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String]
            #expect(parsed == [text], "\(text.debugDescription)")
            let escapes = text.unicodeScalars.filter { $0.value < 0x20 || $0 == "\"" || $0 == "\\" }.count
            // Only what must be escaped is: the rest is copied as it is.
            #expect(writer.bytes.count >= bytes.count + 4 + escapes)
            if escapes == 0 { #expect(writer.bytes.count == bytes.count + 4) }
        }
    }
}
