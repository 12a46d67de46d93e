import Foundation
import Testing

@testable import CSVReader
@testable import GCImportKit

private let exports = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/exports")

/// `mapping init` then `validate`, with no edit in between, on files shaped like GetCourse's own exports.
@Suite struct StarterOnExportsTests {
    private func initAndValidate(_ name: String) throws -> (yaml: String, kind: ImportKind, report: DryRunReport) {
        let file = exports.appendingPathComponent(name).path
        let (yaml, kind) = try StarterMapping.generate(file: file, kind: nil)
        let mapping = try Mapping.parse(yaml: yaml, path: "starter.yaml")
        let report = try DryRun(file: file, mapping: mapping).run()
        return (yaml, kind, report)
    }

    @Test(arguments: ["getcourse-users-1251.tsv", "getcourse-users-utf8.csv"])
    func aUserExportValidatesWithoutEdits(name: String) throws {
        let (yaml, kind, report) = try initAndValidate(name)
        #expect(kind == .user)
        #expect(report.invalid == 0, "\(report.errors)\n\(yaml)")
        #expect(report.valid == 3)
        for path in [
            "user.email", "user.first_name", "user.last_name", "user.middle_name", "user.phone", "user.birthday",
            "user.country", "user.city", "user.group_name", "system.partner_email", "session.utm_source",
            "session.utm_term",
        ] {
            #expect(yaml.contains("\n  \(path):\n"), "\(path) is not mapped:\n\(yaml)")
        }
        // GetCourse's custom-field columns have no header: suggested by number.
        #expect(yaml.contains(#"# "user.addfields.FIELD NAME": 22  # column 22 has no header"#))
        // Its own user id means nothing in another account.
        #expect(!yaml.contains("\n  user.id:"))
    }

    @Test(arguments: ["getcourse-orders-utf8.csv", "getcourse-orders-1251.tsv"])
    func anOrderExportValidatesWithoutEdits(name: String) throws {
        let (yaml, kind, report) = try initAndValidate(name)
        #expect(kind == .deal)
        #expect(report.invalid == 0, "\(report.errors)\n\(yaml)")
        #expect(report.valid == 6)
        // «Номер» is the order number; «ID заказа» is GetCourse's internal id and yields to it.
        #expect(yaml.contains("  deal.deal_number:\n    column: \"Номер\""))
        #expect(yaml.contains("  deal.product_title:\n    column: \"Состав заказа\""))
        #expect(yaml.contains("  deal.deal_cost:\n    column: \"Стоимость, RUB\""))
        // «Оплачено» holds amounts, not yes/no: left out rather than failing every row.
        #expect(!yaml.contains("  deal.deal_is_paid:"))
        #expect(yaml.contains(#""Завершен": "payed""#))
        #expect(yaml.contains(#""Ожидаем оплаты": "payment_waiting""#))
        #expect(yaml.contains(#""RUR": "RUB""#))
        #expect(yaml.contains(#""USD": "USD""#))
    }
}

/// Every header survives the trip into YAML and back: the field (or the suggestion, uncommented) reads
/// exactly its column.
@Suite struct StarterRoundTripTests {
    static let awkward = [
        "Имя\nклиента", "Комм\"ентарий", "#тег", "a: b", "C:\\path\\", "\tтаб", "- dash", "[1]", "{x}", "'quoted'",
        "@handle", "!important", "%percent", "*star", "&anchor", "?", "|pipe", ">fold", "5", "yes", "null", "~",
        "Строка\r\nвторая", "\u{2028}sep", "emoji 😀",
    ]

    /// The suggestion lines of a starter mapping, uncommented.
    private func uncommented(_ yaml: String) -> String {
        yaml.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("  # \"user.addfields.") ? "  " + line.dropFirst(4) : line
        }.joined(separator: "\n")
    }

    @Test func awkwardHeadersRoundTripAsSuggestions() throws {
        let header = ["Email"] + Self.awkward
        let csv = StarterMapping.CSVInfo(delimiter: UInt8(ascii: ";"), encoding: .utf8, hasBOM: false)
        let draft = StarterMapping.Draft(
            file: "odd\nname.csv", header: header, samples: [], kind: .user, csv: csv)
        try draft.checkLoads()
        let mapping = try Mapping.parse(yaml: uncommented(draft.yaml), path: "starter.yaml")
        let mapper = try RowMapper(mapping: mapping, header: header)
        for (index, name) in Self.awkward.enumerated() {
            let plan = try #require(
                mapper.plans.first { $0.field.path == "user.addfields.\(name)" }, "«\(name)»\n\(draft.yaml)")
            #expect(plan.columnNumber == index + 2, "«\(name)»")
        }
    }

    @Test func aRecognisedHeaderWithOddCharactersReadsItsColumn() throws {
        let header = ["E-mail\n(рабочий)", "Имя", "Телефон: мобильный", " Email "]
        let csv = StarterMapping.CSVInfo(delimiter: UInt8(ascii: ";"), encoding: .utf8, hasBOM: false)
        let draft = StarterMapping.Draft(
            file: "x.csv", header: header, samples: [["a@b.ru", "Анна", "+79001234567", "c@d.ru"]], kind: nil,
            csv: csv)
        try draft.checkLoads()
        let mapping = try Mapping.parse(yaml: draft.yaml, path: "starter.yaml")
        let mapper = try RowMapper(mapping: mapping, header: header)
        // The first of two email columns wins; its name spans two lines and still reads column 1.
        #expect(mapper.plans.first { $0.field.path == "user.email" }?.columnNumber == 1)
        #expect(draft.yaml.contains(#"column: "E-mail\n(рабочий)""#))
        #expect(mapper.plans.first { $0.field.path == "user.phone" }?.columnNumber == 3)
    }

    @Test func repeatedAndBlankHeadersAreNamedByNumber() throws {
        let header = ["Email", "Город", "город", ""]
        let csv = StarterMapping.CSVInfo(delimiter: UInt8(ascii: ";"), encoding: .utf8, hasBOM: false)
        let draft = StarterMapping.Draft(
            file: "x.csv", header: header, samples: [["a@b.ru", "Москва", "Тверь", "x"]], kind: .user, csv: csv)
        try draft.checkLoads()
        #expect(draft.yaml.contains("  user.city:\n    column: 2\n"))
        #expect(draft.yaml.contains(#"# "user.addfields.город": 3"#))
        #expect(draft.yaml.contains(#"# "user.addfields.FIELD NAME": 4"#))
    }

    @Test func aFileWithAHeaderOverTwoLinesGivesAMappingThatLoads() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gcimport-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("excel.csv").path
        try Data(
            "\"Адрес\nпочты\";\" Имя \";\"Комм\"\"ентарий\";\"#тег: да\";Email\nул. Ленина;Анна;x;y;a@b.ru\n".utf8
        ).write(to: URL(fileURLWithPath: file))
        let (yaml, _) = try StarterMapping.generate(file: file, kind: nil)
        let mapping = try Mapping.parse(yaml: uncommented(yaml), path: "starter.yaml")
        let report = try DryRun(file: file, mapping: mapping).run()
        #expect(report.valid == 1, "\(report.errors)\n\(yaml)")
        let reader = try CSVFileReader(path: file)
        let mapper = try RowMapper(mapping: mapping, header: reader.header)
        #expect(mapper.plans.first { $0.field.path == "user.addfields.Адрес\nпочты" }?.columnNumber == 1)
        #expect(mapper.plans.first { $0.field.path == "user.first_name" }?.columnNumber == 2)
        #expect(mapper.plans.first { $0.field.path == "user.addfields.Комм\"ентарий" }?.columnNumber == 3)
    }

    @Test func aMappingThatWouldNotLoadIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gcimport-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("deals.csv").path
        try Data("Номер;Email;Сумма\n1;a@b.ru;100\n".utf8).write(to: URL(fileURLWithPath: file))
        #expect {
            try StarterMapping.generate(file: file, kind: nil)
        } throws: { error in
            (error as? StarterMappingError)?.description.contains("deal.offer_code, deal.product_title") == true
        }
    }
}

@Suite struct StarterRecognitionTests {
    @Test(arguments: [
        ("deal_cost", "deal.deal_cost"), ("deal_status", "deal.deal_status"), ("first_name", "user.first_name"),
        ("offer_code", "deal.offer_code"), ("user.email", "user.email"), ("deal.deal_number", "deal.deal_number"),
        ("utm_term", "session.utm_term"), ("Отчество", "user.middle_name"), ("Дата рождения", "user.birthday"),
        ("Состав заказа", "deal.product_title"), ("payment_status", "deal.payment_status"),
        ("comment", "deal.deal_comment"), ("deal_is_paid", "deal.deal_is_paid"), ("quantity", "deal.quantity"),
        ("ФИО", "user.first_name"), ("Email покупателя", "user.email"), ("Телефон клиента", "user.phone"),
        ("Email партнера", "system.partner_email"), ("Email менеджера", "deal.manager_email"),
    ])
    func theAPIsOwnNamesAndExportColumnsAreRecognised(header: String, path: String) {
        #expect(HeaderRecognizer.guess(header)?.path == path)
    }

    @Test func valueMapsKeepCodesAndKnowAliases() {
        let currency = StarterMapping.valueMap(
            "deal.deal_currency", known: HeaderRecognizer.knownValues["deal.deal_currency"] ?? [:],
            values: ["RUB", "RUR", "usd", "руб.", "XYZ"])
        #expect(currency.contains(#"      "RUB": "RUB""#))
        #expect(currency.contains(#"      "RUR": "RUB""#))
        #expect(currency.contains(#"      "usd": "USD""#))
        #expect(currency.contains(#"      "руб.": "RUB""#))
        #expect(currency.contains(#"      "XYZ": "TODO"  # replace with a valid code"#))
        let status = StarterMapping.valueMap(
            "deal.deal_status", known: HeaderRecognizer.knownValues["deal.deal_status"] ?? [:],
            values: ["cancelled", "new", "Оплачен"])
        #expect(
            status == [
                "    map:", #"      "cancelled": "cancelled""#, #"      "new": "new""#, #"      "Оплачен": "payed""#,
            ])
        #expect(StarterMapping.valueMap("deal.deal_status", known: [:], values: ["new", "payed"]).isEmpty)
    }

    @Test func aStatusFileIsKindDealStatus() throws {
        let csv = StarterMapping.CSVInfo(delimiter: UInt8(ascii: ";"), encoding: .utf8, hasBOM: false)
        let (yaml, kind) = StarterMapping.generate(
            file: "s.csv", header: ["Email", "Номер", "Статус"], samples: [["a@b.ru", "1", "Отменен"]], kind: nil,
            csv: csv)
        #expect(kind == .dealStatus)
        _ = try Mapping.parse(yaml: yaml, path: "s.yaml")
    }

    @Test func phonesWithoutEmailsAllowPhoneOnlyUsers() throws {
        let csv = StarterMapping.CSVInfo(delimiter: UInt8(ascii: ";"), encoding: .utf8, hasBOM: false)
        let (yaml, _) = StarterMapping.generate(
            file: "p.csv", header: ["Телефон", "Имя"], samples: [["89001234567", "Анна"]], kind: nil, csv: csv)
        #expect(try Mapping.parse(yaml: yaml, path: "p.yaml").allowPhoneOnly)
    }
}

@Suite struct DateFormatGuessTests {
    @Test func slashesTwoDigitYearsAndYearFirstAreRead() {
        #expect(
            DateFormatGuess.formats(for: ["17/04/2024", "01/02/2024 10:30"]) == ["dd/MM/yyyy", "dd/MM/yyyy HH:mm"])
        #expect(DateFormatGuess.formats(for: ["17.04.24", ""]) == ["dd.MM.yy"])
        #expect(DateFormatGuess.formats(for: ["2024/04/17"]) == ["yyyy/MM/dd"])
        #expect(DateFormatGuess.formats(for: ["2024-04-17T19:01:35Z"]) == ["yyyy-MM-dd'T'HH:mm:ssX"])
        #expect(DateFormatGuess.formats(for: ["когда-то"]) == nil)
    }

    @Test func oneMonthFirstValueMakesTheWholeColumnMonthFirst() {
        // 01/02/2024 alone reads either way; 12/31/2024 only month-first, so the column is US-style.
        #expect(DateFormatGuess.formats(for: ["01/02/2024", "12/31/2024"]) == ["MM/dd/yyyy"])
    }

    @Test func aStarterMappingReadsUSDatesRight() throws {
        let csv = StarterMapping.CSVInfo(delimiter: UInt8(ascii: ","), encoding: .utf8, hasBOM: false)
        let header = ["Order", "Email", "Product", "Amount", "Order date"]
        let rows = [
            ["1", "a@b.ru", "Course", "10.00", "01/02/2024"], ["2", "c@d.ru", "Course", "10.00", "12/31/2024"],
        ]
        let (yaml, _) = StarterMapping.generate(file: "us.csv", header: header, samples: rows, kind: nil, csv: csv)
        let mapping = try Mapping.parse(yaml: yaml, path: "us.yaml")
        let mapper = try RowMapper(mapping: mapping, header: header)
        let first = mapper.map(CSVRecord(row: 1, line: 2, fields: rows[0]))
        #expect(first.json?.contains(#""deal_created_at":"2024-01-02 00:00:00""#) == true, "\(yaml)")
    }
}
