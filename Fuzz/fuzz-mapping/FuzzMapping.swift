// libFuzzer target for the mapping loader (scripts/fuzz.sh mapping): any text gives a mapping or a
// `MappingError` naming the file, never a crash or a hang. A mapping that loads is bound to a fixed header
// (or refuses it with an error) and, when bound, maps a row of plausible values.
import CSVReader
import FuzzSupport
import GCImportKit

private let header = ["Email", "Имя", "Телефон", "Дата", "Сумма", "Статус"]
private let values = ["anna@mail.ru", " Анна ", "8 (916) 123-45-67", "01.02.2024", "12 000,50", "Оплачен"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMapping(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let mapping = try Mapping.parse(yaml: text, path: "fuzz.yaml")
        if let mapper = try? RowMapper(mapping: mapping, header: header) {
            _ = mapper.map(CSVRecord(row: 1, line: 2, fields: values))
        }
    } catch {
        let message = error.description
        FuzzCheck.that(message.hasPrefix("fuzz.yaml"), "a mapping error without the file's name: \(message)")
    }
    return 0
}

@main struct FuzzMappingMain {
    static func main() { FuzzMain.run(fuzzMapping) }
}
