import Foundation
import Testing

@testable import CSVReader
@testable import GCImportKit

/// The byte-level mapping (`RowMapper.mapBytes`) against the `String` mapping (`mapWithKey`), which stays
/// the reference: every row the byte path accepts must give the same payload, byte for byte, with the same
/// email, deal number, key and multiple-offers flag; every row it refuses must be one the `String` path
/// does not send (or one it leaves to that path on purpose: templates, separators outside ASCII).
@Suite struct ByteMappingTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Both verdicts on one record.
    private static func bothPaths(_ mapper: RowMapper, _ record: CSVRecord) -> (
        bytes: ImportPayload?, strings: MappedRow
    ) {
        var scratch = ByteScratch()
        var json = JSONWriter()
        let bytes = CSVRawRecord.withLayout(of: record) { mapper.payloadBytes($0, scratch: &scratch, json: &json) }
        var values: [FieldValue?] = []
        var stringJSON = JSONWriter()
        return (bytes, mapper.mapWithKey(record, values: &values, json: &stringJSON).row)
    }

    /// Compares the paths on every record; returns how many rows the byte path mapped.
    @discardableResult
    private static func compare(_ mapper: RowMapper, _ records: [CSVRecord], refusalsMaySend: Bool = false) -> Int {
        var mapped = 0
        for record in records {
            let (bytes, strings) = bothPaths(mapper, record)
            if let bytes {
                mapped += 1
                #expect(strings.payload == bytes, "line \(record.line): \(record.fields)")
            } else if !refusalsMaySend {
                #expect(
                    strings.payload == nil, "line \(record.line): the byte path refused a row the String path sends")
            }
            // What the run and the tests call goes through the byte path first: the same row either way.
            #expect(mapper.map(record) == strings, "line \(record.line)")
        }
        return mapped
    }

    @Test(arguments: [
        ("samples/users.csv", "mapping/users.yaml"), ("samples/users-dirty.csv", "mapping/users-dirty.yaml"),
        ("samples/deals.csv", "mapping/deals.yaml"),
    ])
    func theSamplesMapTheSameOnBothPaths(file: String, mappingFile: String) throws {
        let mapping = try Mapping.load(path: Self.root.appendingPathComponent(mappingFile).path)
        let path = Self.root.appendingPathComponent(file).path
        let reader = try CSVFileReader(path: path, options: mapping.readerOptions(CSVReaderOptions(), file: path))
        let mapper = try RowMapper(mapping: mapping, header: reader.header)
        var records: [CSVRecord] = []
        while let record = try reader.next() { records.append(record) }
        let mapped = Self.compare(mapper, records)
        #expect(mapped > 0)
        #expect(mapped >= records.count / 2)
    }

    /// Every transform, a value map with and without a default, a flag, a closed set, a positive integer,
    /// an id, a date with zones, groups with a map and a date, constants, defaults and `required`.
    private static let everything = """
        kind: deal
        timezone: Europe/Moscow
        account_timezone: "+05:00"
        fields:
          user.email: {column: E, transforms: [email], required: true}
          user.first_name: {column: N, transforms: [collapse_spaces, upper]}
          user.last_name: {column: N, transforms: [lower, trim]}
          user.phone: {column: P, transforms: [phone]}
          user.city: {column: C, default: Москва}
          user.group_name:
            column: G
            split: ",;"
            map: {vip: VIP-клуб, Старт: Старт 2024}
            group_date: {column: D, transforms: [{date: [dd.MM.yyyy HH:mm, dd.MM.yyyy]}]}
          deal.deal_number: {column: No, transforms: [trim]}
          deal.product_title: {column: T}
          deal.deal_cost: {column: S, transforms: [money]}
          deal.deal_currency: {column: Cur, transforms: [trim, upper], default: RUB}
          deal.deal_status: {column: St, map: {Новый: new, Оплачен: payed, оплачен: payed}}
          deal.payment_type: {column: Pay, map: {Карта: CARD}, map_default: OTHER}
          deal.deal_is_paid: {column: Paid}
          deal.quantity: {column: Q}
          deal.deal_created_at:
            column: D
            transforms: [{date: [dd.MM.yyyy HH:mm, dd.MM.yyyy]}]
          deal.addfields.Источник: {column: Src, default: сайт}
          system.multiple_offers: {column: M}
          system.refresh_if_exists: {value: 1}
        """

    private static let header = [
        "E", "N", "P", "C", "G", "D", "No", "T", "S", "Cur", "St", "Pay", "Paid", "Q", "Src", "M",
    ]

    /// Cells per column: ordinary, odd and broken, with the whitespace Excel leaves.
    private static let pools: [[String]] = [
        [
            "ivan@mail.ru", " Ivan@Mail.RU ", "ИВАН@почта.рф", "a.b+c@x.io", "bad-email", "", "\u{A0}o@p.ru\u{2009}",
            "two@@x.ru", "K@X.COM", "Ülle@mail.ee",
        ],
        ["Иван  Петров", " Анна ", "ÉLODIE dupont", "", "straße", "x\ty", "  ", "Ёлка"],
        [
            "+7 (900) 123-45-67", "8 900 123 45 67", "9001234567", "", "12", "+1 202 555 0100", "ext 5",
            "+7\u{A0}900 1234567",
        ],
        ["Казань", "", " ", "Санкт-Петербург"],
        ["vip", "Старт, vip", "a;b,,c", "", " , ", "VIP", "старт", "Новая группа"],
        ["01.02.2024 14:30", "01.02.2024", "31.02.2024", "", "2024-02-01", " 15.03.2024 "],
        ["A-1", " 42 ", "", "№5"],
        ["Курс", "", "Python \"с нуля\"", "back\\slash"],
        ["12 000,00", "990", "1,234.56", "₽ 990", "", "-5", "0", "12.000.000", "abc", "990 руб."],
        ["rub", " usd ", "", "RUR", "eur", "ｅｕｒ"],
        ["Новый", "Оплачен", "оплачен", "НОВЫЙ", "", "в работе"],
        ["Карта", "Наличные", "", "карта"],
        ["да", "Нет", "1", "", "yes", "maybe", "ДА"],
        ["1", "3", "", "0", "007", "x"],
        ["yandex", "", "google ads"],
        ["1", "0", "", "да", "нет"],
    ]

    @Test func randomRowsOverEveryTransformMapTheSameOnBothPaths() throws {
        let mapper = try RowMapper(mapping: loadMapping(Self.everything), header: Self.header)
        var generator = SeededGenerator(seed: 20_261_207)
        let records = (1...3_000).map { row in
            CSVRecord(
                row: row, line: row + 1,
                fields: Self.pools.map { pool in pool[Int(generator.next() % UInt64(pool.count))] })
        }
        let mapped = Self.compare(mapper, records)
        // Most rows break somewhere (that is the point), but enough must pass to compare payloads.
        #expect(mapped > 50)
    }

    @Test func skipRulesAndUserKeysMapTheSameOnBothPaths() throws {
        let mapping = try loadMapping(
            """
            kind: user
            skip:
              - {column: Имя, equals: [Без почты, тест]}
              - {column: Группы, empty: true}
            fields:
              user.email: {column: Email}
              user.first_name: {column: Имя}
              user.group_name: {column: Группы, split: ","}
            """)
        let mapper = try RowMapper(mapping: mapping, header: ["Email", "Имя", "Группы"])
        let rows = [
            ["A@B.RU ", "Иван", "x"], ["a@b.ru", "без почты", "x"], ["a@b.ru", "ТЕСТ ", "x"], ["a@b.ru", "Анна", " "],
            ["b@ЁЛКА.рф", "Анна", "y,z"], ["", "Анна", "y"],
        ]
        let records = rows.enumerated().map { CSVRecord(row: $0.offset + 1, line: $0.offset + 2, fields: $0.element) }
        #expect(Self.compare(mapper, records) == 2)
    }

    @Test func templatesAndSeparatorsOutsideASCIIAreLeftToTheStringPath() throws {
        let mapping = try loadMapping(
            """
            kind: user
            fields:
              user.email: {column: E}
              user.first_name: {template: "{Имя} {Фамилия}"}
              user.group_name: {column: G, split: "・"}
            """)
        let mapper = try RowMapper(mapping: mapping, header: ["E", "Имя", "Фамилия", "G"])
        let record = CSVRecord(row: 1, line: 2, fields: ["a@b.ru", "Иван", "", "A・B"])
        #expect(Self.compare(mapper, [record], refusalsMaySend: true) == 0)
        #expect(mapper.map(record).json == #"{"user":{"email":"a@b.ru","first_name":"Иван","group_name":["A","B"]}}"#)
    }
}

/// SplitMix64, so a failing random case can be run again.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// The word-at-a-time case flip gives what a byte-by-byte one gives, for every length and position.
@Test func asciiCaseFlipsOnlyTheLettersOfItsRange() {
    var scratch = ByteScratch()
    var generator = SystemRandomNumberGenerator()
    let alphabet = Array("AZaz@.-_09[`{~ Mm".utf8) + [0x40, 0x5B, 0x60, 0x7B, 0x7F, 0x01]
    for length in 0..<40 {
        for _ in 0..<50 {
            var bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            for range: ClosedRange<UInt8> in [0x41...0x5A, 0x61...0x7A] {
                let expected = bytes.map { range.contains($0) ? $0 ^ 0x20 : $0 }
                let flipped = bytes.withUnsafeBufferPointer { scratch.asciiCase($0, from: range).map(Array.init) }
                #expect(flipped == expected, "\(bytes)")
            }
            if length > 0 {
                bytes[Int.random(in: 0..<length, using: &generator)] = 0xD0
                #expect(bytes.withUnsafeBufferPointer { scratch.asciiCase($0, from: 0x41...0x5A) } == nil)
            }
            scratch.reset(fields: 0)
        }
    }
}
