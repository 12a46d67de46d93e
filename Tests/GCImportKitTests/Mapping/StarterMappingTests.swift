import Foundation
import Testing

@testable import CSVReader
@testable import GCImportKit

@Test(arguments: [
    ("Email", "user.email"), ("E-mail", "user.email"), ("Почта", "user.email"), ("Эл. адрес", "user.email"),
    ("Телефон", "user.phone"), ("Phone", "user.phone"), ("Моб. телефон", "user.phone"), ("Сотовый", "user.phone"),
    ("Имя", "user.first_name"), ("Фамилия", "user.last_name"),
    ("Город", "user.city"), ("Страна", "user.country"), ("Группы", "user.group_name"), ("Номер", "deal.deal_number"),
    ("Стоимость, RUB", "deal.deal_cost"), ("Сумма заказа", "deal.deal_cost"), ("Статус", "deal.deal_status"),
    ("Валюта", "deal.deal_currency"), ("utm_source", "session.utm_source"), ("UTM_Campaign", "session.utm_campaign"),
    ("Дата заказа", "deal.deal_created_at"), ("Способ оплаты", "deal.payment_type"),
])
func headersAreRecognised(header: String, path: String) {
    #expect(HeaderRecognizer.guess(header)?.path == path)
}

@Test func unknownHeadersAreNotGuessed() {
    #expect(HeaderRecognizer.guess("Любимый цвет") == nil)
}

@Test func starterDealMappingLoadsAndMapsTheSampleRows() throws {
    let header = ["Номер", "Email", "Продукт", "Стоимость, RUB", "Статус", "Дата заказа", "Способ оплаты", "Заметка"]
    let rows = [
        ["1", "a@b.ru", "Курс", "12 000,00", "Оплачен", "01.02.2024 14:30", "Банковская карта", "x"],
        ["2", "c@d.ru", "Курс", "990,00", "Новый", "02.02.2024 10:00", "", ""],
    ]
    let csv = StarterMapping.CSVInfo(delimiter: UInt8(ascii: ";"), encoding: .windows1251, hasBOM: false)
    let (yaml, kind) = StarterMapping.generate(file: "deals.csv", header: header, samples: rows, kind: nil, csv: csv)
    #expect(kind == .deal)
    #expect(yaml.contains("encoding: windows-1251"))
    #expect(yaml.contains(#"# "deal.addfields.Заметка": "Заметка""#))
    #expect(yaml.contains(#""Оплачен": "payed""#))
    let mapping = try Mapping.parse(yaml: yaml, path: "starter.yaml")
    let mapper = try RowMapper(mapping: mapping, header: header)
    for (index, fields) in rows.enumerated() {
        let row = mapper.map(CSVRecord(row: index + 1, line: index + 2, fields: fields))
        #expect(row.json != nil, "\(row)\n\(yaml)")
    }
}

@Test func starterUserMappingKeepsDealColumnsAsSuggestions() throws {
    let header = ["Почта", "Имя", "Группы", "Дата регистрации", "Сумма"]
    let csv = StarterMapping.CSVInfo(delimiter: 0x09, encoding: .utf8, hasBOM: true)
    let (yaml, kind) = StarterMapping.generate(
        file: "u.csv", header: header, samples: [["a@b.ru", "Анна", "A, B", "01.02.2024", "5"]], kind: .user,
        csv: csv)
    #expect(kind == .user)
    #expect(yaml.contains(#"delimiter: "tab""#))
    #expect(yaml.contains("group_date:"))
    #expect(yaml.contains(#"# "user.addfields.Сумма": "Сумма""#))
    let mapping = try Mapping.parse(yaml: yaml, path: "starter.yaml")
    #expect(mapping.delimiter == 0x09)
    let row = try RowMapper(mapping: mapping, header: header).map(
        CSVRecord(row: 1, line: 2, fields: ["a@b.ru", "Анна", "A, B", "01.02.2024", "5"]))
    #expect(
        row.json
            == #"{"user":{"email":"a@b.ru","first_name":"Анна","group_name":[["A","2024-02-01 00:00:00"],"#
            + #"["B","2024-02-01 00:00:00"]]},"system":{"refresh_if_exists":0}}"#)
}

@Test func starterGroupMappingUsesOnlyIdAndGroups() throws {
    let header = ["ID", "Email", "Группы"]
    let csv = StarterMapping.CSVInfo(delimiter: UInt8(ascii: ";"), encoding: .utf8, hasBOM: false)
    let (yaml, kind) = StarterMapping.generate(
        file: "g.csv", header: header, samples: [["123", "a@b.ru", "A, B"]], kind: .userGroups, csv: csv)
    #expect(kind == .userGroups)
    #expect(yaml.contains("REPLACES"))
    #expect(!yaml.contains("addfields"))
    let mapping = try Mapping.parse(yaml: yaml, path: "starter.yaml")
    let row = try RowMapper(mapping: mapping, header: header).map(
        CSVRecord(row: 1, line: 2, fields: ["123", "a@b.ru", "A, B"]))
    #expect(row.json == #"{"user":{"id":"123","group_name":["A","B"]}}"#)
}

@Test func starterDealMappingWithoutAnOfferColumnSaysWhatToAdd() throws {
    let header = ["Номер заказа", "Эл. адрес", "Сумма заказа"]
    let csv = StarterMapping.CSVInfo(delimiter: 0x09, encoding: .windows1251, hasBOM: false)
    let (yaml, _) = StarterMapping.generate(
        file: "o.tsv", header: header, samples: [["101", "a@b.ru", "1 500,50"]], kind: .deal, csv: csv)
    #expect(yaml.contains("# REQUIRED: what was bought"))
    // Uncommenting the example line makes the mapping usable as it is.
    let fixed = yaml.replacingOccurrences(of: "  # deal.product_title:", with: "  deal.product_title:")
    let mapping = try Mapping.parse(yaml: fixed, path: "starter.yaml")
    let row = try RowMapper(mapping: mapping, header: header).map(
        CSVRecord(row: 1, line: 2, fields: ["101", "a@b.ru", "1 500,50"]))
    #expect(row.json?.contains(#""product_title":"Курс""#) == true)
}
