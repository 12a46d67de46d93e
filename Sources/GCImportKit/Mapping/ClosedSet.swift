// The closed value sets of seed 000. Sending anything else makes GetCourse reject the row, so the dry run
// catches it first.

/// A closed set of codes GetCourse accepts for one field; the lists are copied from seed 000 exactly.
enum ClosedSet: String, Sendable, CaseIterable {
    case dealStatus = "deal_status"
    case paymentStatus = "payment_status"
    case paymentType = "payment_type"
    case currency = "deal_currency"

    var values: [String] {
        switch self {
        case .dealStatus:
            [
                "new", "payed", "cancelled", "false", "in_work", "payment_waiting", "part_payed", "waiting_for_return",
                "not_confirmed", "pending",
            ]
        case .paymentStatus:
            ["expected", "accepted", "returned", "tobalance", "frombalance", "returned_to_balance"]
        case .paymentType:
            [
                "2CO", "ALFA", "BILL", "CARD", "CARD_TERMINAL", "CASH", "cloud_payments", "cloud_payments_kz", "fondy",
                "hutki_grosh", "interkassa", "INTERNAL", "justclick", "kvit", "OTHER", "payanyway", "PAYPAL",
                "perfect_money", "PERFECTMONEY", "QIWI", "qiwi_kassa", "QUICKTRANSFER", "RBK", "rbkmoney",
                "rbkmoney_new", "ROBOKASSA", "SBER", "sberbank", "tinkoff", "tinkoffcredit", "VIRTUAL", "walletone",
                "wayforpay", "WEBMONEY", "yandex_kassa", "YANDEXMONEY", "ZPAYMENT", "prodamus", "ebanx", "swedbank",
            ]
        case .currency:
            [
                "RUB", "USD", "EUR", "GBP", "BYR", "BYN", "KZT", "UAH", "AUD", "DKK", "CHF", "SEK", "ZAR", "AMD", "RON",
                "BRL", "ILS", "MYR", "SGD", "KGS", "CAD", "MXN", "JPY", "UZS", "PLN", "AZN", "AED", "TRY", "INR", "RSD",
                "CZK", "MNT", "NZD",
            ]
        }
    }

    // One set per case, not a dictionary of sets: the look-up runs for every closed field of every row.
    private static let dealStatuses = Set(ClosedSet.dealStatus.values)
    private static let paymentStatuses = Set(ClosedSet.paymentStatus.values)
    private static let paymentTypes = Set(ClosedSet.paymentType.values)
    private static let currencies = Set(ClosedSet.currency.values)

    /// The codes of up to 8 bytes, packed as `packed` packs a cell, per case.
    private static let packedCodes: [ClosedSet: Set<UInt64>] = Dictionary(
        uniqueKeysWithValues: allCases.map { set in
            (set, Set(set.values.compactMap { code in Array(code.utf8).withUnsafeBufferPointer(packed) }))
        })

    /// Up to 8 ASCII bytes as one number (first byte lowest; codes never hold a 0 byte), or nil.
    private static func packed(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard bytes.count <= 8 else { return nil }
        var bits: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            guard byte < 0x80, byte != 0 else { return nil }
            bits |= UInt64(byte) << (8 * index)
        }
        return bits
    }

    /// `contains` for a value of up to 8 ASCII bytes; nil for any other value (an ASCII code can equal a
    /// string with other bytes, such as the Kelvin sign for «K», so `contains` decides those).
    func containsShortASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard let key = Self.packed(bytes) else { return nil }
        return Self.packedCodes[self]?.contains(key) ?? false
    }

    func contains(_ value: String) -> Bool {
        switch self {
        case .dealStatus: Self.dealStatuses.contains(value)
        case .paymentStatus: Self.paymentStatuses.contains(value)
        case .paymentType: Self.paymentTypes.contains(value)
        case .currency: Self.currencies.contains(value)
        }
    }

    /// The error text for a value outside the set: a case-only mismatch names the exact code, anything else
    /// lists the codes (short sets) or the nearest ones, and says how to map the file's own words.
    func rejection(of value: String) -> String {
        let lowered = value.lowercased()
        if let exact = values.first(where: { $0.lowercased() == lowered }) {
            return "«\(value)» is not a \(rawValue) code; codes are case-sensitive: use «\(exact)»"
        }
        let near = NearestMatch.best(lowered, in: values.map { $0.lowercased() }, limit: 3)
        let nearCodes = near.compactMap { low in values.first { $0.lowercased() == low } }
        let hint =
            values.count <= 12
            ? "one of " + values.joined(separator: ", ")
            : (nearCodes.isEmpty ? "" : "nearest: " + nearCodes.joined(separator: ", ") + "; ")
                + "the full list is in the README, section «Mapping files»"
        return "«\(value)» is not a \(rawValue) code (\(hint)); translate the file's values with `map:`"
    }
}
