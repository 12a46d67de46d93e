/// The filters of an export request (`created_at[from]=YYYY-MM-DD`, `status=…`, …): only those the
/// object supports count, and at least one must be given (else 908).
struct ExportFilters {
    /// Date ranges by field (`created_at`, `payed_at`, `finished_at`, `status_changed_at`, `added_at`),
    /// bounds as `YYYY-MM-DD`, inclusive.
    var ranges: [String: (from: String?, to: String?)] = [:]
    var status: String?

    var isEmpty: Bool { ranges.isEmpty && status == nil }

    init(query: [String: String], kind: ExportTables.Kind) {
        let dateFields: [String] =
            switch kind {
            case .users: ["created_at"]
            case .groupUsers: ["created_at", "added_at"]
            case .deals: ["created_at", "payed_at", "finished_at", "status_changed_at"]
            case .payments: ["created_at", "status_changed_at"]
            }
        for field in dateFields {
            let from = query["\(field)[from]"].flatMap(Self.day)
            let to = query["\(field)[to]"].flatMap(Self.day)
            if from != nil || to != nil { ranges[field] = (from, to) }
        }
        if let status = query["status"]?.trimmingSpaces(), !status.isEmpty { self.status = status }
    }

    /// The day part of a bound (`2024-01-31` or `2024-01-31 10:00:00`).
    private static func day(_ text: String) -> String? {
        FieldRules.normalizedDateTime(text).map { String($0.prefix(10)) }
    }

    /// Whether a record's moment (`YYYY-MM-DD HH:MM:SS`, or nil when it never happened) is in the range.
    func matches(_ field: String, _ moment: String?) -> Bool {
        guard let range = ranges[field] else { return true }
        guard let moment else { return false }
        let day = String(moment.prefix(10))
        if let from = range.from, day < from { return false }
        if let to = range.to, day > to { return false }
        return true
    }
}
