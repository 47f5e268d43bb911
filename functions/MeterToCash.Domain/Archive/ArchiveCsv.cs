using System.Globalization;
using System.Text;
using MeterToCash.Domain.Common;

namespace MeterToCash.Domain.Archive;

/// <summary>A rejected row of an archive file: its row number (the header is row 1), field, rule and reason.</summary>
/// <param name="Row">Row number as a spreadsheet shows it: header = 1, first data row = 2.</param>
/// <param name="Field">Column name.</param>
/// <param name="Rule">Stable rule name.</param>
/// <param name="Message">Reason for a person.</param>
public sealed record ArchiveRowError(int Row, string Field, string Rule, string Message);

/// <summary>A customer assembled from one or more rows of an archive file.</summary>
/// <param name="Customer">The customer.</param>
/// <param name="Rows">The rows it came from.</param>
public sealed record ImportedCustomer(Customer Customer, IReadOnlyList<int> Rows);

/// <summary>What an archive file yields: valid customers, rejected rows, and the count of data rows read.</summary>
/// <param name="Customers">Customers whose every row is valid.</param>
/// <param name="Errors">One entry per rejected row and rule.</param>
/// <param name="TotalRows">Data rows in the file (header excluded).</param>
public sealed record ArchiveCsvResult(IReadOnlyList<ImportedCustomer> Customers, IReadOnlyList<ArchiveRowError> Errors, int TotalRows)
{
    /// <summary>Distinct rows rejected.</summary>
    public int RejectedRows => Errors.Select(e => e.Row).Distinct().Count();
}

/// <summary>
/// Reads the archive import file: RFC 4180 CSV, UTF-8, one row per (customer, service point, meter, tariff
/// assignment). Rows of one account are merged; a customer is imported only if all its rows are valid, so a
/// customer is never stored with half its meters.
/// </summary>
/// <remarks>
/// Columns (header names, any order): account_no*, name*, class*, payment_mode*, phone, address*, credit_grade
/// (default A), area_code*, service_point_id*, sp_address*, sp_area_code (default area_code), supply_voltage_kv*,
/// contracted_kva*, meter_no*, manufacturer*, ct_ratio (default 1), pt_ratio (default 1), registers ('|'-separated
/// <see cref="MeterRegisters"/> names, default ActiveImportTotal), install_date* (yyyy-MM-dd), removal_date,
/// tariff_code*, tariff_effective_from*, tariff_effective_to, closed_on (yyyy-MM-dd, the day the account was closed;
/// empty while open). Starred columns are required.
/// </remarks>
public static class ArchiveCsv
{
    /// <summary>Largest number of data rows in one file.</summary>
    public const int MaxRows = 500_000;

    /// <summary>Longest field accepted.</summary>
    public const int MaxFieldLength = 1_000;

    /// <summary>Columns every file must have.</summary>
    public static readonly IReadOnlyList<string> RequiredColumns =
    [
        "account_no", "name", "class", "payment_mode", "address", "area_code", "service_point_id", "sp_address",
        "supply_voltage_kv", "contracted_kva", "meter_no", "manufacturer", "install_date", "tariff_code", "tariff_effective_from",
    ];

    /// <summary>Columns a file may have besides the required ones.</summary>
    public static readonly IReadOnlyList<string> OptionalColumns =
        ["phone", "credit_grade", "sp_area_code", "ct_ratio", "pt_ratio", "registers", "removal_date", "tariff_effective_to", "closed_on"];

    // The documented names exactly (English or Chinese), as EnumNames does for every other enum column.
    static readonly Dictionary<string, CustomerClass> ClassNames = new(StringComparer.Ordinal)
    {
        ["Residential"] = CustomerClass.Residential, ["居民生活"] = CustomerClass.Residential,
        ["Commercial"] = CustomerClass.Commercial, ["一般工商业"] = CustomerClass.Commercial,
        ["LargeIndustrial"] = CustomerClass.LargeIndustrial, ["大工业"] = CustomerClass.LargeIndustrial,
        ["Agricultural"] = CustomerClass.Agricultural, ["农业生产"] = CustomerClass.Agricultural,
    };

    /// <summary>Checks the header line alone, so a file with missing columns is refused before any work starts.</summary>
    public static IReadOnlyList<ValidationError> ValidateHeader(string headerLine)
    {
        List<string> columns = SplitRecord(headerLine ?? string.Empty).Select(c => c.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        List<ValidationError> errors = [];
        foreach (string required in RequiredColumns.Where(r => !columns.Contains(r)))
        {
            errors.Add(new(required, "missing-column", $"The header has no '{required}' column."));
        }

        foreach (IGrouping<string, string> duplicate in columns.GroupBy(c => c).Where(g => g.Count() > 1))
        {
            errors.Add(new(duplicate.Key, "duplicate-column", $"Column '{duplicate.Key}' appears more than once."));
        }

        return errors;
    }

    /// <summary>Parses a whole file. Never throws on bad content: every problem becomes an <see cref="ArchiveRowError"/>.</summary>
    public static ArchiveCsvResult Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        List<ArchiveRowError> errors = [];
        using IEnumerator<(int Row, List<string> Fields)> records = ReadRecords(reader).GetEnumerator();
        if (!records.MoveNext())
        {
            errors.Add(new(1, "header", "missing-header", "The file is empty."));
            return new([], errors, 0);
        }

        List<string> header = records.Current.Fields.Select(c => c.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        IReadOnlyList<ValidationError> headerErrors = ValidateHeader(string.Join(',', header));
        if (headerErrors.Count > 0)
        {
            errors.AddRange(headerErrors.Select(e => new ArchiveRowError(1, e.Field, e.Rule, e.Message)));
            return new([], errors, 0);
        }

        Dictionary<string, int> index = header.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        Dictionary<string, AccountRows> accounts = new(StringComparer.Ordinal);
        List<string> order = [];
        int total = 0;
        while (records.MoveNext())
        {
            (int row, List<string> fields) = records.Current;
            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue; // blank line
            }

            if (++total > MaxRows)
            {
                errors.Add(new(row, "file", "too-many-rows", $"A file may hold at most {MaxRows:N0} rows; split it."));
                break;
            }

            RowParser parser = new(row, fields, index, header.Count);
            ParsedRow? parsed = parser.Parse();
            string account = parsed?.AccountNo ?? (fields.Count == header.Count ? fields[index["account_no"]].Trim() : string.Empty);
            AccountRows? rows = null;
            if (account.Length > 0 && !accounts.TryGetValue(account, out rows))
            {
                accounts[account] = rows = new AccountRows();
                order.Add(account);
            }

            if (parsed is null)
            {
                errors.AddRange(parser.Errors);

                // The account's other rows must not be imported without this one.
                rows?.Reject(row);
                continue;
            }

            rows!.Add(parsed, errors);
        }

        List<ImportedCustomer> customers = [];
        HashSet<string> meterOwners = new(StringComparer.OrdinalIgnoreCase);
        foreach (string accountNo in order)
        {
            AccountRows rows = accounts[accountNo];
            ImportedCustomer? customer = rows.Build(errors);
            if (customer is null)
            {
                continue;
            }

            List<string> meters = customer.Customer.ServicePoints.SelectMany(p => p.Meters).Select(m => m.MeterNo.Value).ToList();
            string? taken = meters.FirstOrDefault(m => meterOwners.Contains(m));
            if (taken is not null)
            {
                errors.AddRange(customer.Rows.Select(r => new ArchiveRowError(r, "meter_no", "meter-duplicate-in-file", $"Meter '{taken}' is already given to another account earlier in the file.")));
                continue;
            }

            meterOwners.UnionWith(meters);
            customers.Add(customer);
        }

        errors.Sort((a, b) => a.Row.CompareTo(b.Row));
        return new(customers, errors, total);
    }

    sealed record ParsedRow(
        int Row, string AccountNo, string Name, CustomerClass Class, PaymentMode PaymentMode, string? Phone, string Address, CreditGrade Credit, string AreaCode,
        string PointId, string PointAddress, string PointArea, decimal VoltageKv, decimal CapacityKva, Meter Meter, TariffAssignment Tariff, DateOnly? ClosedOn);

    sealed class AccountRows
    {
        readonly List<ParsedRow> rows = [];
        readonly List<int> rejected = [];

        public void Reject(int row) => rejected.Add(row);

        public void Add(ParsedRow row, List<ArchiveRowError> errors)
        {
            ParsedRow? first = rows.Count > 0 ? rows[0] : null;
            if (first is not null && (first.Name, first.Class, first.PaymentMode, first.Phone, first.Address, first.Credit, first.AreaCode, first.ClosedOn) !=
                (row.Name, row.Class, row.PaymentMode, row.Phone, row.Address, row.Credit, row.AreaCode, row.ClosedOn))
            {
                errors.Add(new(row.Row, "account_no", "customer-fields-conflict", $"Customer fields differ from row {first.Row} of the same account."));
                rejected.Add(row.Row);
                return;
            }

            ParsedRow? samePoint = rows.FirstOrDefault(r => r.PointId == row.PointId);
            if (samePoint is not null && (samePoint.PointAddress, samePoint.PointArea, samePoint.VoltageKv, samePoint.CapacityKva) != (row.PointAddress, row.PointArea, row.VoltageKv, row.CapacityKva))
            {
                errors.Add(new(row.Row, "service_point_id", "service-point-fields-conflict", $"Service point fields differ from row {samePoint.Row}."));
                rejected.Add(row.Row);
                return;
            }

            rows.Add(row);
        }

        public ImportedCustomer? Build(List<ArchiveRowError> errors)
        {
            if (rows.Count == 0)
            {
                return null;
            }

            if (rejected.Count > 0)
            {
                errors.AddRange(rows.Select(r => new ArchiveRowError(r.Row, "account_no", "customer-has-invalid-rows", $"Not imported because row(s) {string.Join(", ", rejected)} of the same account are invalid.")));
                return null;
            }

            ParsedRow first = rows[0];
            List<ServicePoint> points = rows.GroupBy(r => r.PointId).Select(g =>
            {
                ParsedRow p = g.First();
                List<Meter> meters = g.Select(r => r.Meter).DistinctBy(m => m.MeterNo.Value.ToUpperInvariant()).ToList();
                List<TariffAssignment> tariffs = g.Select(r => r.Tariff).Distinct().ToList();
                return new ServicePoint(p.PointId, p.PointAddress, p.VoltageKv, p.CapacityKva, p.PointArea, meters, tariffs);
            }).ToList();
            Customer customer = new(first.AccountNo, first.Name, first.Class, first.PaymentMode, first.Phone, first.Address, first.Credit, first.AreaCode, points, first.ClosedOn);
            List<int> rowNumbers = rows.Select(r => r.Row).ToList();

            IReadOnlyList<ValidationError> invalid = ArchiveValidator.Validate(customer);
            if (invalid.Count > 0)
            {
                foreach (int row in rowNumbers)
                {
                    errors.AddRange(invalid.Select(e => new ArchiveRowError(row, e.Field, e.Rule, e.Message)));
                }

                return null;
            }

            return new ImportedCustomer(customer, rowNumbers);
        }
    }

    sealed class RowParser(int row, List<string> fields, Dictionary<string, int> index, int columnCount)
    {
        public List<ArchiveRowError> Errors { get; } = [];

        public ParsedRow? Parse()
        {
            if (fields.Count != columnCount)
            {
                Errors.Add(new(row, "row", "column-count", $"The row has {fields.Count} fields; the header has {columnCount}."));
                return null;
            }

            string accountNo = Required("account_no");
            string name = Required("name");
            CustomerClass cls = ClassNames.TryGetValue(Optional("class") ?? string.Empty, out CustomerClass c) ? c : Fail<CustomerClass>("class", "enum", "Class must be Residential, Commercial, LargeIndustrial or Agricultural.");
            PaymentMode mode = Enum<PaymentMode>("payment_mode", null);
            CreditGrade credit = Enum("credit_grade", (CreditGrade?)CreditGrade.A);
            string address = Required("address");
            string area = Required("area_code");
            string pointId = Required("service_point_id");
            string pointAddress = Required("sp_address");
            string pointArea = Optional("sp_area_code") ?? area;
            decimal voltage = Number("supply_voltage_kv");
            decimal capacity = Number("contracted_kva");
            string meterNo = Required("meter_no");
            string manufacturer = Required("manufacturer");
            int ct = Integer("ct_ratio", 1);
            int pt = Integer("pt_ratio", 1);
            MeterRegisters registers = Registers();
            DateOnly installed = Date("install_date") ?? default;
            DateOnly? removed = Date("removal_date", required: false);
            string tariffCode = Required("tariff_code");
            DateOnly from = Date("tariff_effective_from") ?? default;
            DateOnly? to = Date("tariff_effective_to", required: false);
            DateOnly? closedOn = Date("closed_on", required: false);
            if (!MeterId.TryParse(meterNo, out MeterId meterId) && meterNo.Length > 0)
            {
                Errors.Add(new(row, "meter_no", "meter-number-format", $"Meter number must be 1–{MeterId.MaxLength} letters, digits or '-'."));
            }

            if (Errors.Count > 0)
            {
                return null;
            }

            return new ParsedRow(row, accountNo, name, cls, mode, Optional("phone"), address, credit, area, pointId, pointAddress, pointArea, voltage, capacity,
                new Meter(meterId, manufacturer, ct, pt, registers, installed, removed), new TariffAssignment(tariffCode, from, to), closedOn);
        }

        string? Optional(string column)
        {
            if (!index.TryGetValue(column, out int i))
            {
                return null;
            }

            string value = fields[i].Trim();
            if (value.Length > MaxFieldLength)
            {
                Errors.Add(new(row, column, "max-length", $"'{column}' is longer than {MaxFieldLength} characters."));
                return null;
            }

            return value.Length == 0 ? null : value;
        }

        string Required(string column)
        {
            string? value = Optional(column);
            if (value is null && !Errors.Any(e => e.Field == column))
            {
                Errors.Add(new(row, column, "required", $"'{column}' is empty."));
            }

            return value ?? string.Empty;
        }

        T Fail<T>(string column, string rule, string message)
        {
            Errors.Add(new(row, column, rule, message));
            return default!;
        }

        T Enum<T>(string column, T? fallback)
            where T : struct, Enum
        {
            string? value = Optional(column);
            if (value is null)
            {
                return fallback ?? Fail<T>(column, "required", $"'{column}' is empty.");
            }

            return EnumNames.TryParse(value, out T parsed)
                ? parsed
                : Fail<T>(column, "enum", $"'{value}' is not one of {EnumNames.List<T>()} (exactly, one value).");
        }

        decimal Number(string column)
        {
            string value = Required(column);
            if (value.Length == 0)
            {
                return 0;
            }

            return decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal parsed)
                ? parsed
                : Fail<decimal>(column, "number", $"'{value}' is not a non-negative decimal number.");
        }

        int Integer(string column, int fallback)
        {
            string? value = Optional(column);
            if (value is null)
            {
                return fallback;
            }

            return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed)
                ? parsed
                : Fail<int>(column, "integer", $"'{value}' is not a whole number.");
        }

        DateOnly? Date(string column, bool required = true)
        {
            string? value = required ? Required(column) : Optional(column);
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly parsed)
                ? parsed
                : Fail<DateOnly?>(column, "date", $"'{value}' is not a date in yyyy-MM-dd form.");
        }

        MeterRegisters Registers()
        {
            string? value = Optional("registers");
            if (value is null)
            {
                return MeterRegisters.ActiveImportTotal;
            }

            MeterRegisters registers = MeterRegisters.None;
            foreach (string part in value.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!EnumNames.TryParse(part, out MeterRegisters one) || one == MeterRegisters.None)
                {
                    return Fail<MeterRegisters>("registers", "enum", $"'{part}' is not a register name ({string.Join(", ", System.Enum.GetNames<MeterRegisters>().Skip(1))}).");
                }

                registers |= one;
            }

            return registers;
        }
    }

    /// <summary>Splits one CSV line (no embedded newlines) into fields; used for header checks.</summary>
    internal static List<string> SplitRecord(string line)
    {
        using StringReader reader = new(line);
        return ReadRecords(reader).Select(r => r.Fields).FirstOrDefault() ?? [string.Empty];
    }

    /// <summary>RFC 4180 records: quoted fields may hold commas, doubled quotes and newlines.</summary>
    static IEnumerable<(int Row, List<string> Fields)> ReadRecords(TextReader reader)
    {
        int row = 0;
        StringBuilder field = new();
        List<string> fields = [];
        bool quoted = false, any = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            any = true;
            char ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else if (field.Length <= MaxFieldLength)
                {
                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return (++row, fields);
                    fields = [];
                    any = false;
                    break;
                default:
                    // Cap what one field can hold so a hostile file cannot grow a single string without bound.
                    if (field.Length <= MaxFieldLength)
                    {
                        field.Append(ch);
                    }

                    break;
            }
        }

        if (any)
        {
            fields.Add(field.ToString());
            yield return (++row, fields);
        }
    }
}
