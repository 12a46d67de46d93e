import Foundation
import Testing

@testable import CSVReader

// Garbled text is valid text: the only way to see it is to decode it back. These are the ways a Russian name
// gets garbled in exports, and ordinary names (Russian, and Latin with accents) that must not be flagged.

/// How `text` reads when its UTF-8 bytes are decoded with `encoding`.
private func misread(_ text: String, as encoding: String.Encoding) -> String {
    String(data: Data(text.utf8), encoding: encoding) ?? ""
}

@Test(arguments: ["Анна", "Пётр Иванов", "Юлия", "Москва, ул. Ленина, д. 1", "Я", "«Ромашка» — №1"])
func utf8ReadAsWindows1251IsSeen(name: String) throws {
    let garbled = misread(name, as: .windowsCP1251)
    #expect(garbled != name)
    #expect(Mojibake.suspect(garbled) == .init(kind: .utf8ReadAsWindows1251, repaired: name))
}

@Test(arguments: ["Анна", "Сергей Петров", "Ёлка"])
func utf8ReadAsLatin1IsSeen(name: String) throws {
    for encoding in [String.Encoding.isoLatin1, .windowsCP1252] {
        let garbled = misread(name, as: encoding)
        // Foundation refuses the five bytes Windows-1252 leaves undefined (0x90 in «А»); Windows maps them
        // to U+0080-U+009F, as Latin-1 does.
        if garbled.isEmpty, encoding == .windowsCP1252 { continue }
        #expect(Mojibake.suspect(garbled) == .init(kind: .utf8ReadAsLatin1, repaired: name), "\(encoding)")
    }
}

@Test(arguments: ["Анна", "Сергей Петров", "Москва"])
func windows1251ReadAsLatin1IsSeen(name: String) throws {
    let bytes = try #require(name.data(using: .windowsCP1251))
    let garbled = try #require(String(data: bytes, encoding: .isoLatin1))
    #expect(Mojibake.suspect(garbled) == .init(kind: .windows1251ReadAsLatin1, repaired: name))
}

@Test func lostCharactersAreSeen() {
    #expect(Mojibake.suspect("Ан\u{FFFD}\u{FFFD}") == .init(kind: .lostCharacters, repaired: "Ан\u{FFFD}\u{FFFD}"))
}

@Test(arguments: [
    "", "ivan@mail.ru", "+7 900 123-45-67", "Анна", "Рёрих", "Тёма", "Сергей", "Уля", "Компания Я»", "Р°зные",
    "Müller", "José", "Ärzte Öl Übung", "François Hollande", "Łódź", "東京", "😀", "Thé", "Ðорогой", "5 000 ₽",
    "Пётр Иванович Сидоров-Рябушкинский", "ООО «Рога и копыта»", "Сёмин", "Тётя Рая", "Устьё",
])
func ordinaryTextIsNotFlagged(text: String) {
    #expect(Mojibake.suspect(text) == nil)
}

@Test func everyRussianWordOfTheSamplesIsOrdinary() throws {
    let samples = try FileManager.default.contentsOfDirectory(atPath: Fixture.samples.path)
        .filter { $0.hasSuffix(".csv") }
    #expect(!samples.isEmpty)
    for name in samples {
        let result = try readAll(path: Fixture.samples.appendingPathComponent(name).path)
        for record in result.records {
            for field in record.fields where field.unicodeScalars.contains(where: { $0.value >= 0x400 }) {
                #expect(Mojibake.suspect(field) == nil, "\(name) line \(record.line): \(field)")
            }
        }
    }
}

/// `mayBeSuspect` is the dry run's first sight over a row's bytes: it must never miss a field `suspect`
/// flags, wherever in the row and in its 8-byte words the signs fall.
@Test func theRowCheckNeverMissesAGarbledField() {
    var garbled: [String] = []
    for name in ["Анна", "Сергей Петров", "Ёлка", "Пётр Иванов", "Москва, ул. Ленина, д. 1", "«Ромашка» — №1"] {
        garbled.append(misread(name, as: .windowsCP1251))
        garbled.append(misread(name, as: .isoLatin1))
        if let bytes = name.data(using: .windowsCP1251), let latin = String(data: bytes, encoding: .isoLatin1) {
            garbled.append(latin)
        }
    }
    garbled.append("Ан\u{FFFD}\u{FFFD}")
    var checked = 0
    for text in garbled {
        for shift in 0..<17 {
            let field = String(repeating: "a", count: shift) + text
            guard Mojibake.suspect(field) != nil else { continue }
            checked += 1
            let row = CSVRecord(row: 1, line: 2, fields: ["ivan@mail.ru", "Анна", field, "x"])
            #expect(CSVRawRecord.withLayout(of: row, Mojibake.mayBeSuspect), "\(field)")
            // Ordinary «С» «Т» before and after it: a field with a sign that passes must not hide a later one.
            let amid = CSVRecord(row: 1, line: 2, fields: ["Сергей", "Тёма Сидоров", field, "Уля"])
            #expect(CSVRawRecord.withLayout(of: amid, Mojibake.mayBeSuspect), "\(field)")
        }
    }
    #expect(checked >= 17 * 12)
}

@Test func aRowOfOrdinaryTextPassesTheRowCheck() {
    // (Latin-1 letters such as «ü» are a sign too: the row check sends those fields to `suspect`.)
    let fields = ["ivan@mail.ru", "+7 900 123-45-67", "Анна", "Пётр Иванович", "5 000 ₽", "", "東京", "Ёлки-палки"]
    let row = CSVRecord(row: 1, line: 2, fields: fields)
    #expect(!CSVRawRecord.withLayout(of: row, Mojibake.mayBeSuspect))
    for text in ["Сергей", "Тёма", "Уля", "Рёрих"] {
        // «Р» «С» «Т» «У» are a sign, but ordinary Russian fails the next look.
        #expect(!CSVRawRecord.withLayout(of: CSVRecord(row: 1, line: 2, fields: [text]), Mojibake.mayBeSuspect))
    }
}
