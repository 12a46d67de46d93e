import CSVReader

/// `gcimport check` and `run`'s preflight: reads the account's fields and groups (no import call) and
/// compares them with what the mapping and the file would send, so nothing is sent that GetCourse would
/// silently drop (an additional field it does not have) or misfile (a mistyped group name).
package struct AccountCheck: Sendable {
    /// Distinct group names kept for the comparison; a file with more is reported as truncated.
    static let maxGroupNames = 50_000

    var mapper: RowMapper
    var inputPath: String
    var readerOptions: CSVReaderOptions
    package var targetName: String
    var strictGroups: Bool

    init(
        mapper: RowMapper, inputPath: String, readerOptions: CSVReaderOptions, targetName: String,
        strictGroups: Bool = false
    ) {
        self.mapper = mapper
        self.inputPath = inputPath
        self.readerOptions = readerOptions
        self.targetName = targetName
        self.strictGroups = strictGroups
    }

    /// The check `run` makes, on the mapping and file it has opened.
    package init(prepared: PreparedRun, targetName: String, strictGroups: Bool) {
        self.init(
            mapper: prepared.source.mapper, inputPath: prepared.request.inputPath,
            readerOptions: prepared.readerOptions, targetName: targetName, strictGroups: strictGroups)
    }

    /// The mapping loaded and bound to the file's header, read as `run` reads it.
    package static func prepare(
        inputPath: String, mappingPath: String, targetName: String, strictGroups: Bool
    ) throws(CheckError) -> AccountCheck {
        do {
            let mapping = try Mapping.load(path: mappingPath)
            let options = mapping.readerOptions(CSVReaderOptions(), file: inputPath)
            let reader = try CSVFileReader(path: inputPath, options: options)
            let mapper = try RowMapper(mapping: mapping, header: reader.header)
            return AccountCheck(
                mapper: mapper, inputPath: inputPath, readerOptions: options, targetName: targetName,
                strictGroups: strictGroups)
        } catch {
            throw .input("\(error)")
        }
    }

    /// Asks the account, reads the file once, and compares. A refusal of the key or plan comes back in
    /// the report (exit 69); an unreadable file or an account API that does not answer is thrown.
    @available(*, noasync, message: "blocks its thread")
    package func perform(client: AccountClient) throws(CheckError) -> CheckReport {
        var report = CheckReport(
            input: inputPath, mapping: mapper.mapping.path, target: targetName, strictGroups: strictGroups)
        let accountFields: [AccountField]
        let accountGroups: [AccountGroup]
        do {
            accountFields = try client.fields()
            accountGroups = mapper.sendsGroups ? try client.groups() : []
        } catch .refused(let refusal) {
            report.refusal = refusal.description
            return report
        } catch {
            throw .account(error)
        }
        report.userFields = accountFields.filter { $0.context == .user }.count
        report.dealFields = accountFields.filter { $0.context == .deal }.count
        report.accountGroups = accountGroups.count
        report.fields = Self.compareFields(mapper.mapping, with: accountFields)
        let census = try GroupCensus.take(mapper: mapper, path: inputPath, options: readerOptions)
        report.rows = census.rows
        report.rowsWithGroups = census.rowsWithGroups
        report.groupsTruncated = census.truncated
        report.groups = Self.compareGroups(census, with: accountGroups.map(\.name))
        return report
    }

    static func compareFields(_ mapping: Mapping, with account: [AccountField]) -> [CheckReport.FieldFinding] {
        mapping.fields.filter(\.field.isAddfield).map { spec in
            let context: AccountField.Context = spec.field.section == .deal ? .deal : .user
            let title = spec.field.key
            let same = account.filter { $0.context == context }.map(\.title)
            let other = account.filter { $0.context != context }.map(\.title)
            let status: CheckReport.FieldFinding.Status =
                same.contains(title) ? .ok : other.contains(title) ? .otherContext : .missing
            let nearest = status == .missing ? NearestMatch.best(title, in: same, limit: 3) : []
            return CheckReport.FieldFinding(
                field: spec.field.path, title: title, context: context,
                place: spec.line.map { "\(mapping.path):\($0)" }, status: status, nearest: nearest)
        }
    }

    static func compareGroups(_ census: GroupCensus, with existing: [String]) -> [CheckReport.GroupFinding] {
        let known = Set(existing)
        var folded: [String: String] = [:]
        for name in existing where folded[NameMatch.fold(name)] == nil { folded[NameMatch.fold(name)] = name }
        // Edit distances cost; past this many new names only the folded comparison runs.
        let compareEach = census.names.count <= 2_000 && existing.count <= 5_000
        return census.names.map { name, tally in
            if known.contains(name) {
                return CheckReport.GroupFinding(
                    name: name, rows: tally.rows, firstLine: tally.firstLine, status: .exists, nearest: nil)
            }
            let typo =
                compareEach
                ? NameMatch.typoTarget(of: name, in: existing, folded: folded)
                : folded[NameMatch.fold(name)]
            let nearest = typo ?? (compareEach ? NearestMatch.best(name, in: existing).first : nil)
            return CheckReport.GroupFinding(
                name: name, rows: tally.rows, firstLine: tally.firstLine, status: typo == nil ? .new : .likelyTypo,
                nearest: nearest)
        }
        .sorted { ($0.status.order, $1.rows, $0.firstLine) < ($1.status.order, $0.rows, $1.firstLine) }
    }
}

extension CheckReport.GroupFinding.Status {
    /// Problems first.
    fileprivate var order: Int {
        switch self {
        case .likelyTypo: 0
        case .new: 1
        case .exists: 2
        }
    }
}

/// Why a check could not be made at all (as opposed to findings in its report).
package enum CheckError: Error, Sendable, CustomStringConvertible {
    /// The file stopped being readable part-way.
    case input(String)
    /// The account API did not answer usefully.
    case account(AccountError)

    package var description: String {
        switch self {
        case .input(let reason): reason
        case .account(let error): "the check could not ask the account: \(error)"
        }
    }
}

/// Every distinct group name a file sends, with how many rows send it and where it first appears.
struct GroupCensus: Sendable {
    struct Tally: Sendable {
        var rows: Int
        var firstLine: Int
    }

    var names: [(String, Tally)] = []
    var rows = 0
    var rowsWithGroups = 0
    var truncated = false

    /// One pass over the file with the mapping; rows that would not be sent (invalid, skipped) send nothing.
    static func take(mapper: RowMapper, path: String, options: CSVReaderOptions) throws(CheckError) -> GroupCensus {
        var census = GroupCensus()
        guard mapper.sendsGroups else { return census }
        var index: [String: Int] = [:]
        do {
            let reader = try CSVFileReader(path: path, options: options)
            while let record = try reader.next() {
                guard let (_, facts) = mapper.facts(record) else { continue }
                census.rows += 1
                guard !facts.groups.isEmpty else { continue }
                census.rowsWithGroups += 1
                for name in Set(facts.groups.map(\.name)) {
                    if let position = index[name] {
                        census.names[position].1.rows += 1
                    } else if census.names.count < maxNames {
                        index[name] = census.names.count
                        census.names.append((name, Tally(rows: 1, firstLine: record.line)))
                    } else {
                        census.truncated = true
                    }
                }
            }
        } catch {
            throw .input("\(error)")
        }
        return census
    }

    static let maxNames = AccountCheck.maxGroupNames
}
