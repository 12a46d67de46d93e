#!/usr/bin/env python3
"""The naive baseline for scripts/bench-validate.sh: the same mapping as mapping/bench-*.yaml, written the
obvious way (csv.DictReader -> dict -> json.dumps -> base64 -> percent-encoded form body).

    python3 scripts/naive_validate.py user FILE.csv
    python3 scripts/naive_validate.py deal FILE.csv

Prints "rows valid invalid". It does the same per-row work as `gcimport validate` with the bench mappings:
trim, email check, phone normalisation, date parsing, money parsing, value maps, the JSON and the body.
"""

import base64
import csv
import json
import re
import sys
import urllib.parse
from datetime import datetime

EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
STATUS = {"Новый": "new", "Оплачен": "payed", "В работе": "in_work", "Отменён": "cancelled"}
PAYMENT = {"Банковская карта": "CARD", "Безналичный расчёт": "BILL", "ЮMoney": "YANDEXMONEY"}


class Invalid(Exception):
    pass


def email(value):
    value = value.strip().lower()
    if not EMAIL.match(value):
        raise Invalid("email")
    return value


def phone(value):
    digits = re.sub(r"[\s()\-.]", "", value.strip())
    plus = digits.startswith("+")
    digits = digits.lstrip("+")
    if not digits.isdigit():
        raise Invalid("phone")
    if not plus:
        if len(digits) == 11 and digits[0] in "78":
            digits = "7" + digits[1:]
        elif len(digits) == 10 and digits[0] == "9":
            digits = "7" + digits
        else:
            raise Invalid("phone")
    if not 10 <= len(digits) <= 15:
        raise Invalid("phone")
    return "+" + digits


def date(value, formats):
    for fmt in formats:
        try:
            return datetime.strptime(value.strip(), fmt).strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            pass
    raise Invalid("date")


def money(value):
    text = re.sub(r"[\s\u00a0\u202f']|руб\.?|р\.|RUB", "", value)
    if "," in text and "." in text:
        text = text.replace(",", "") if text.rfind(".") > text.rfind(",") else text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", ".")
    amount = float(text)
    if amount <= 0:
        raise Invalid("deal_cost")
    return ("%.2f" % amount).rstrip("0").rstrip(".")


def user_payload(row):
    user = {"email": email(row["Email"]), "first_name": row["Имя"].strip(), "last_name": row["Фамилия"].strip()}
    if row["Телефон"].strip():
        user["phone"] = phone(row["Телефон"])
    user["city"] = row["Город"].strip()
    user["country"] = row["Страна"].strip()
    groups = [g.strip() for g in row["Группы"].split(",") if g.strip()]
    if groups:
        joined = date(row["Дата регистрации"], ["%d.%m.%Y"])
        user["group_name"] = [[g, joined] for g in groups]
    payload = {"user": user, "system": {"refresh_if_exists": 0}}
    session = {k: row[k].strip() for k in ("utm_source", "utm_medium", "utm_campaign") if row[k].strip()}
    if session:
        payload["session"] = session
    return "add", payload


def deal_payload(row):
    user = {"email": email(row["Email"]), "first_name": row["Имя"].strip(), "last_name": row["Фамилия"].strip()}
    if row["Телефон"].strip():
        user["phone"] = phone(row["Телефон"])
    deal = {"deal_number": row["Номер"].strip(), "offer_code": row["Код предложения"].strip(),
            "product_title": row["Продукт"].strip(), "deal_cost": money(row["Стоимость, RUB"]),
            "deal_status": STATUS[row["Статус"].strip()],
            "deal_is_paid": 1 if row["Оплачен"].strip() == "Да" else 0,
            "deal_created_at": date(row["Дата заказа"], ["%d.%m.%Y %H:%M", "%d.%m.%Y"])}
    if row["Дата оплаты"].strip():
        deal["deal_finished_at"] = date(row["Дата оплаты"], ["%d.%m.%Y %H:%M", "%d.%m.%Y"])
    if row["Способ оплаты"].strip():
        deal["payment_type"] = PAYMENT.get(row["Способ оплаты"].strip(), "OTHER")
    deal["deal_currency"] = (row["Валюта"].strip() or "RUB").upper()
    return "add", {"user": user, "deal": deal}


def main(kind, path):
    build = user_payload if kind == "user" else deal_payload
    encoding = "utf-8-sig" if kind == "user" else "cp1251"
    rows = valid = invalid = 0
    with open(path, encoding=encoding, newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            rows += 1
            try:
                action, payload = build(row)
            except (Invalid, KeyError, ValueError):
                invalid += 1
                continue
            params = base64.b64encode(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
            body = "action=" + action + "&key=&params=" + urllib.parse.quote(params, safe="-._~")
            if body:
                valid += 1
    print(rows, valid, invalid)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
