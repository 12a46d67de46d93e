import Foundation
import Testing

@testable import CSVReader

private func sample(_ name: String) -> String {
    Fixture.samples.appendingPathComponent(name).path
}

@Test func usersSampleIsCleanUTF8WithBOM() throws {
    let result = try readAll(path: sample("users.csv"))
    #expect(result.encoding == .utf8 && result.hasBOM && result.delimiter == 0x3B)
    #expect(
        result.header == [
            "Email", "Имя", "Фамилия", "Телефон", "Город", "Страна", "Группы", "Дата регистрации", "utm_source",
        ])
    #expect(result.records.count == 300)
    #expect(result.problemPlaces.isEmpty)
    #expect(Set(result.rows.map { $0[0].lowercased() }).count == 300, "emails are unique")
}

@Test func dealsSampleIsCleanWindows1251() throws {
    let result = try readAll(path: sample("deals.csv"))
    #expect(result.encoding == .windows1251 && result.encodingWasDetected && !result.hasBOM)
    #expect(result.delimiter == 0x3B)
    #expect(result.header.count == 14)
    #expect(result.header[7] == "Стоимость, RUB")
    #expect(result.records.count == 300)
    #expect(result.problemPlaces.isEmpty)
    #expect(result.rows.contains { $0[9] == "Отменён" })
    #expect(result.rows.contains { $0[7].contains("\u{00A0}") }, "some amounts use a non-breaking space")
}

@Test func dirtyUsersSampleHasOneRaggedRow() throws {
    let result = try readAll(path: sample("users-dirty.csv"))
    #expect(result.records.count == 40)
    #expect(result.problemPlaces == [.init(line: 31, kind: .raggedRow)])
}
