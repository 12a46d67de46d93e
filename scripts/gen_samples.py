#!/usr/bin/env python3
"""Generates the sample CSV files in samples/ and big files for benchmarks.

    python3 scripts/gen_samples.py                 # samples/users.csv, deals.csv, users-dirty.csv
    python3 scripts/gen_samples.py big --rows 1000000 --out bench-data/users-1m.csv

The data looks like what a Russian online school exports from Excel: semicolon delimited, CRLF line ends,
users in UTF-8 with a BOM, orders in Windows-1251, dates like 01.02.2024, money like 12 000,00.
Everything is drawn from a seeded random generator, so the output is the same on every run.
"""

import argparse
import os
import random
import sys

MALE_FIRST = ["Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Артём", "Илья", "Кирилл",
              "Михаил", "Никита", "Иван", "Егор", "Роман", "Павел", "Владимир", "Олег", "Денис"]
FEMALE_FIRST = ["Анна", "Мария", "Елена", "Ольга", "Наталья", "Екатерина", "Татьяна", "Ирина", "Юлия",
                "Светлана", "Дарья", "Ксения", "Полина", "Алёна", "Виктория", "Марина", "Софья"]
SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
            "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
            "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин"]
CITIES = [("Москва", "Россия"), ("Санкт-Петербург", "Россия"), ("Новосибирск", "Россия"),
          ("Екатеринбург", "Россия"), ("Казань", "Россия"), ("Нижний Новгород", "Россия"),
          ("Краснодар", "Россия"), ("Самара", "Россия"), ("Ростов-на-Дону", "Россия"), ("Уфа", "Россия"),
          ("Алматы", "Казахстан"), ("Астана", "Казахстан"), ("Минск", "Беларусь"), ("Ташкент", "Узбекистан")]
COURSES = ["Основы Python", "Excel с нуля", "Интернет-маркетинг", "Английский для IT", "Марафон по SQL",
           "Курс \"Продажи в соцсетях\"", "Финансовая грамотность", "Дизайн в Figma", "Управление проектами"]
UTM_SOURCES = ["yandex", "vk", "telegram", "google", "email", "partner", ""]
UTM_MEDIUMS = ["cpc", "social", "email", "referral", "organic"]
UTM_CAMPAIGNS = ["autumn_sale", "webinar_0312", "black_friday", "retarget", "newsletter_42", "spring_start"]
DOMAINS = ["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru", "list.ru", "rambler.ru", "ya.ru"]
PRODUCTS = [("Основы Python", "python-basic", 12000), ("Excel с нуля", "excel-start", 4990),
            ("Интернет-маркетинг", "smm-pro", 29900), ("Английский для IT", "eng-it", 18500),
            ("Марафон по SQL", "sql-marathon", 1490), ("Дизайн в Figma", "figma-design", 24000),
            ("Управление проектами", "pm-course", 49000), ("Консультация эксперта", "consult-60", 3500)]
STATUSES = ["Новый", "Оплачен", "В работе", "Отменён", "Оплачен", "Оплачен"]
PAYMENT_METHODS = ["Банковская карта", "СБП", "Рассрочка", "Безналичный расчёт", "ЮMoney"]

TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
                     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "sch", "", "y", "", "e", "yu", "ya"]))

USER_HEADER = ["Email", "Имя", "Фамилия", "Телефон", "Город", "Страна", "Группы", "Дата регистрации",
               "utm_source"]
BIG_HEADER = USER_HEADER + ["utm_medium", "utm_campaign", "Комментарий"]
DEAL_HEADER = ["Номер", "Email", "Имя", "Фамилия", "Телефон", "Продукт", "Код предложения", "Стоимость, RUB",
               "Валюта", "Статус", "Оплачен", "Дата заказа", "Дата оплаты", "Способ оплаты"]
COMMENTS = ["", "", "", "перезвонить после 18:00", "", "просит счёт", "", "с вебинара"]


def latin(text):
    return "".join(TRANSLIT.get(ch, ch) for ch in text.lower())


def quote(value, delimiter=";"):
    """CSV-quotes a value the way Excel does: only when it holds the delimiter, a quote or a line break."""
    if any(ch in value for ch in (delimiter, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def line(values):
    return ";".join(quote(v) for v in values) + "\r\n"


def phone(rng):
    code = rng.choice(["916", "903", "926", "985", "921", "912", "905", "977", "999", "958"])
    a, b, c = rng.randint(100, 999), rng.randint(10, 99), rng.randint(10, 99)
    style = rng.randrange(4)
    if style == 0:
        return f"8 ({code}) {a}-{b}-{c}"
    if style == 1:
        return f"+7 {code} {a}-{b}-{c}"
    if style == 2:
        return f"+7{code}{a}{b}{c}"
    return f"8-{code}-{a}-{b}-{c}"


def person(rng, index):
    female = rng.random() < 0.55
    first = rng.choice(FEMALE_FIRST if female else MALE_FIRST)
    last = rng.choice(SURNAMES) + ("а" if female else "")
    local = f"{latin(first)}.{latin(last)}{index if index is not None else rng.randint(1, 99)}"
    return first, last, f"{local}@{rng.choice(DOMAINS)}"


def date(rng, year_from=2023):
    return f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(year_from, 2024)}"


def groups(rng):
    return ", ".join(rng.sample(COURSES, rng.randint(1, 3)))


def user_row(rng, index):
    first, last, email = person(rng, index)
    city, country = rng.choice(CITIES)
    return [email, first, last, phone(rng), city, country, groups(rng), date(rng), rng.choice(UTM_SOURCES)]


def money(amount, rng):
    space = "\u00a0" if rng.random() < 0.4 else " "
    whole = f"{amount:,}".replace(",", space)
    return f"{whole},00"


# MARK: - Sample files

def write_users(path, rng, count=300):
    rows = [user_row(rng, i + 1) for i in range(count)]
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        out.write(line(USER_HEADER))
        for row in rows:
            out.write(line(row))
    return rows


def write_deals(path, rng, users, count=300):
    with open(path, "w", encoding="cp1251", newline="") as out:
        # Some exporters quote every name with a space or comma; the reader must not split it at the comma.
        out.write(";".join(f'"{name}"' if "," in name else name for name in DEAL_HEADER) + "\r\n")
        for i in range(count):
            if rng.random() < 0.7:
                email, first, last, tel = users[rng.randrange(len(users))][:4]
            else:
                first, last, email = person(rng, 1000 + i)
                tel = phone(rng)
            title, code, price = rng.choice(PRODUCTS)
            status = rng.choice(STATUSES)
            paid = status == "Оплачен"
            day, month = rng.randint(1, 27), rng.randint(1, 12)
            ordered = f"{day:02d}.{month:02d}.2024 {rng.randint(9, 22):02d}:{rng.choice(['00', '15', '30', '45'])}"
            paid_at = f"{day + 1:02d}.{month:02d}.2024 {rng.randint(9, 22):02d}:{rng.randint(0, 59):02d}" if paid else ""
            out.write(line([str(20240001 + i), email, first, last, tel, title, code, money(price, rng), "RUB",
                            status, "Да" if paid else "Нет", ordered, paid_at,
                            rng.choice(PAYMENT_METHODS) if paid else ""]))


def write_dirty_users(path, rng, count=40):
    rows = [user_row(rng, 500 + i) for i in range(count)]
    rows[4][0] = rows[4][0].replace("@", "")                 # broken email: no @
    rows[9][0] = rows[9][0].split("@")[0] + "@mail"          # broken email: no domain zone
    rows[13][3] = "звонить вечером"                          # junk phone
    rows[17][3] = "123"                                      # too short phone
    rows[21][7] = "31.02.2024"                               # impossible date
    rows[25][7] = "2024/13/01"                               # wrong date format
    rows[29] = rows[29][:6]                                  # ragged: three columns missing
    rows[33][0] = rows[2][0].upper()                         # duplicate email (other case)
    rows[36][0] = ""                                         # no email at all
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        out.write(line(USER_HEADER))
        for row in rows:
            out.write(line(row))


# MARK: - Big files

def write_big(path, rows, seed):
    """12 columns in the style of users.csv; emails are unique (they carry the row number)."""
    rng = random.Random(seed)
    pool = 4096
    people = [person(rng, None) for _ in range(pool)]
    phones = [phone(rng) for _ in range(pool)]
    # Mostly one course per user, so a row averages about 170 bytes like a real export.
    group_lists = [quote(", ".join(rng.sample(COURSES, 1 if rng.random() < 0.95 else 2))) for _ in range(pool)]
    dates = [date(rng) for _ in range(pool)]
    cities = CITIES
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        out.write(line(BIG_HEADER))
        batch = []
        rand = rng.random
        for i in range(rows):
            k = int(rand() * pool)
            first, last, email = people[k]
            local, domain = email.split("@")
            city, country = cities[i % len(cities)]
            batch.append(";".join((f"{local[:12]}.{i}@{domain}", first, last, phones[(k + i) % pool], city, country,
                                   group_lists[(k * 7 + i) % pool], dates[(k + 3 * i) % pool],
                                   UTM_SOURCES[i % 7], UTM_MEDIUMS[i % 5], UTM_CAMPAIGNS[i % 6],
                                   COMMENTS[i % 8])) + "\r\n")
            if len(batch) == 10000:
                out.write("".join(batch))
                batch.clear()
        out.write("".join(batch))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    samples = sub.add_parser("samples", help="write samples/ (the default)")
    samples.add_argument("--dir", default=os.path.join(os.path.dirname(__file__), "..", "samples"))
    big = sub.add_parser("big", help="write one big 12-column file for benchmarks")
    big.add_argument("--rows", type=int, default=1_000_000)
    big.add_argument("--out", required=True)
    big.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    if args.command == "big":
        write_big(args.out, args.rows, args.seed)
        return
    directory = getattr(args, "dir", os.path.join(os.path.dirname(__file__), "..", "samples"))
    os.makedirs(directory, exist_ok=True)
    rng = random.Random(20240201)
    users = write_users(os.path.join(directory, "users.csv"), rng)
    write_deals(os.path.join(directory, "deals.csv"), rng, users)
    write_dirty_users(os.path.join(directory, "users-dirty.csv"), rng)


if __name__ == "__main__":
    main(sys.argv[1:])
