"""morph-kgc user-defined functions of bench/mapping.rml.ttl: the value conversions that
`lod convert` does by the CSVW datatypes of the same columns (decimalChar ",", date format
"d. M. yyyy"). morph-kgc loads this file with its `udf` decorator already defined."""

try:
    udf  # noqa: B018 (defined by morph-kgc when it loads this file)
except NameError:  # imported directly (the equivalence check)

    def udf(fun_id, **params):
        return lambda function: function


FN = "https://data.example.cz/bench/functions#"


@udf(fun_id=FN + "czDecimal", value=FN + "value")
def cz_decimal(value):
    """'1234,50' -> '1234.5' (the canonical xsd:decimal)."""
    sign = "-" if value.startswith("-") else ""
    whole, _, fraction = value.lstrip("+-").partition(",")
    whole, fraction = whole.lstrip("0") or "0", fraction.rstrip("0")
    text = f"{whole}.{fraction}" if fraction else whole
    return sign + text if text != "0" else text


@udf(fun_id=FN + "czDate", value=FN + "value")
def cz_date(value):
    """'9. 9. 2016' -> '2016-09-09'."""
    day, month, year = (int(part) for part in value.split("."))
    return f"{year:04d}-{month:02d}-{day:02d}"
