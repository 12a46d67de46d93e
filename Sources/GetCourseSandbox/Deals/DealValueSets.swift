/// The closed value sets of the deals import, as the official field list (seed 000) gives them.
enum DealValueSets {
    static let dealStatuses: Set<String> = [
        "new", "payed", "cancelled", "false", "in_work", "payment_waiting", "part_payed", "waiting_for_return",
        "not_confirmed", "pending",
    ]

    static let paymentStatuses: Set<String> = [
        "expected", "accepted", "returned", "tobalance", "frombalance", "returned_to_balance",
    ]

    /// Case matters: the list mixes `CARD` and `cloud_payments`, and both `PERFECTMONEY` and `perfect_money`.
    static let paymentTypes: Set<String> = [
        "2CO", "ALFA", "BILL", "CARD", "CARD_TERMINAL", "CASH", "cloud_payments", "cloud_payments_kz", "fondy",
        "hutki_grosh", "interkassa", "INTERNAL", "justclick", "kvit", "OTHER", "payanyway", "PAYPAL",
        "perfect_money", "PERFECTMONEY", "QIWI", "qiwi_kassa", "QUICKTRANSFER", "RBK", "rbkmoney",
        "rbkmoney_new", "ROBOKASSA", "SBER", "sberbank", "tinkoff", "tinkoffcredit", "VIRTUAL", "walletone",
        "wayforpay", "WEBMONEY", "yandex_kassa", "YANDEXMONEY", "ZPAYMENT", "prodamus", "ebanx", "swedbank",
    ]

    static let currencies: Set<String> = [
        "RUB", "USD", "EUR", "GBP", "BYR", "BYN", "KZT", "UAH", "AUD", "DKK", "CHF", "SEK", "ZAR", "AMD", "RON",
        "BRL", "ILS", "MYR", "SGD", "KGS", "CAD", "MXN", "JPY", "UZS", "PLN", "AZN", "AED", "TRY", "INR", "RSD",
        "CZK", "MNT", "NZD",
    ]

    /// The account's base currency, used when `deal_currency` is absent.
    static let baseCurrency = "RUB"
}
