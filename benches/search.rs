//! Search benchmark: 10,000 generated answers, the full server-side search path.
//!
//! Run with `cargo bench --bench search` (release build). What it does:
//!
//! 1. generates 10,000 realistic Russian answers of an IT company's desk (printers, cartridges,
//!    remote administration, delivery, warranty, invoices, support hours…) from word lists with
//!    a fixed seed, so every run indexes the same text;
//! 2. times `AnswerIndex::build`;
//! 3. runs a fixed set of queries (exact words, plural and genitive forms, typos, prefixes being
//!    typed, wrong keyboard layout, Latin, multi-word questions) many rounds through
//!    `index.search(&QueryPlan::parse(q), 10)`, the path the server takes (snippets included),
//!    and replays each query as typed, every prefix letter by letter, as the live page sends it;
//! 4. prints latency percentiles, a breakdown (parse / tantivy / snippets, and the query
//!    respelled for its meaning), the slowest queries,
//!    peak memory (VmHWM) and the machine.
//!
//! Environment: `BENCH_ANSWERS` (default 10000), `BENCH_ROUNDS` (default 20).
//! Without `--bench` (as `cargo test --benches` runs it) it does a quick smoke run instead.

mod common;

use callfaq::knowledge::{Answer, Audience, Knowledge};
use callfaq::search::query::QueryPlan;
use callfaq::search::{AnswerIndex, Matcher};
use callfaq::text as analysis;
use common::{cpu_model, env_usize, ms, status_field, summary, Rng};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Deterministic generator
// ---------------------------------------------------------------------------------------------

/// One desk topic: how callers name it and what the answers say about it.
struct Topic {
    slug: &'static str,
    /// Noun phrases as they appear in titles ("заправка картриджа").
    subjects: &'static [&'static str],
    /// Caller phrasings, `{}` is a subject.
    asks: &'static [&'static str],
    /// Sentences of the answer body about this topic.
    facts: &'static [&'static str],
    /// Things the subject may be about (models, services, places).
    objects: &'static [&'static str],
}

const TOPICS: &[Topic] = &[
    Topic {
        slug: "printers",
        subjects: &["принтер", "лазерный принтер", "цветной принтер", "МФУ", "сетевой принтер", "плоттер"],
        asks: &["сколько стоит {}", "есть ли в наличии {}", "нужен {} для офиса", "посоветуйте {}", "какой {} лучше взять", "{} не печатает"],
        facts: &[
            "Принтеры есть в наличии на складе, отгрузка в день оплаты.",
            "Лазерные принтеры печатают быстрее и дешевле на лист, чем струйные.",
            "Для офиса до десяти человек подойдёт МФУ с сетевым подключением и двусторонней печатью.",
            "Цветной принтер нужен, если клиент печатает буклеты, схемы или презентации.",
            "Если принтер не печатает, попросите перезагрузить его и проверить кабель и очередь печати.",
            "Настройку принтера в сети делает инженер при доставке, это бесплатно.",
            "Уточните, сколько листов в месяц печатает офис: от этого зависит модель.",
        ],
        objects: &["Canon 2100", "Canon i-SENSYS MF3010", "HP LaserJet M111", "HP LaserJet Pro M404", "Kyocera Ecosys P2335", "Brother HL-L2300", "Xerox B210", "Pantum P2500", "Epson L3250", "Ricoh SP 230"],
    },
    Topic {
        slug: "cartridges",
        subjects: &["картридж", "заправка картриджа", "восстановление картриджа", "тонер", "оригинальный картридж", "совместимый картридж", "фотобарабан"],
        asks: &["сколько стоит {}", "где купить {}", "{} для принтера", "делаете {}", "как быстро {}", "нужен {} срочно"],
        facts: &[
            "Заправка картриджа занимает от одного часа до одного рабочего дня.",
            "Курьер забирает пустые картриджи и привозит заправленные, это бесплатно от трёх штук.",
            "Оригинальные картриджи дороже совместимых, но печатают стабильнее и дольше.",
            "Если картридж печатает полосами, его нужно почистить или заменить фотобарабан.",
            "После трёх заправок советуем восстановление картриджа с заменой ракеля.",
            "На заправленный картридж даём гарантию до конца тонера.",
            "Тонер подбираем под модель: уточните точное название картриджа на наклейке.",
        ],
        objects: &["HP 12A", "HP 85A", "HP 83A", "Canon 725", "Canon 737", "Kyocera TK-1170", "Brother TN-1075", "Xerox 106R02773", "Samsung MLT-D111S", "Pantum PC-211"],
    },
    Topic {
        slug: "admin",
        subjects: &["удалённое администрирование", "администрирование серверов", "удалённая поддержка", "обслуживание компьютеров", "системный администратор", "абонентское обслуживание", "ИТ-аутсорсинг"],
        asks: &["сколько стоит {}", "нужно {}", "как работает {}", "что входит в {}", "можно ли {} без выезда", "{} для небольшого офиса"],
        facts: &[
            "Удалённое администрирование стоит от 15 000 рублей в месяц за офис до десяти компьютеров.",
            "Администратор подключается удалённо через защищённый канал после согласия клиента.",
            "В абонентское обслуживание входят обновления, резервные копии, антивирус и помощь пользователям.",
            "Серверы на Windows и Linux обслуживаем удалённо, выезд инженера оплачивается отдельно.",
            "Заявки принимаем по телефону, почте и через портал, ответ в течение одного часа.",
            "Перед договором бесплатно проводим аудит: смотрим компьютеры, сеть и лицензии.",
            "Системный администратор на аутсорсинге дешевле штатного и не уходит в отпуск.",
        ],
        objects: &["Windows Server", "Linux", "1С", "Active Directory", "VPN", "Microsoft 365", "Exchange", "почтового сервера", "файлового сервера", "видеонаблюдения"],
    },
    Topic {
        slug: "delivery",
        subjects: &["доставка", "доставка заказа", "самовывоз", "курьерская доставка", "доставка в регионы", "срочная доставка"],
        asks: &["сколько стоит {}", "когда будет {}", "как оформить {}", "есть ли {}", "{} в выходные", "{} до двери"],
        facts: &[
            "Доставка по Москве бесплатна от 10 000 рублей, иначе 500 рублей.",
            "Курьер привозит заказ на следующий рабочий день с 10 до 18 часов.",
            "В регионы отправляем транспортной компанией, срок от двух до семи дней.",
            "Самовывоз со склада возможен через два часа после оплаты, возьмите доверенность.",
            "Срочная доставка в день заказа стоит 1 500 рублей, если заказ оформлен до 12 часов.",
            "Курьер звонит за час до приезда, номер заказа приходит в СМС.",
            "Тяжёлое оборудование поднимаем на этаж за отдельную плату.",
        ],
        objects: &["по Москве", "в Подмосковье", "в Санкт-Петербург", "в Казань", "в Новосибирск", "в Екатеринбург", "в Нижний Новгород", "в офис", "на склад", "за МКАД"],
    },
    Topic {
        slug: "warranty",
        subjects: &["гарантия", "гарантийный ремонт", "гарантийный талон", "возврат товара", "обмен товара", "сервисный центр"],
        asks: &["какая {}", "сколько действует {}", "как оформить {}", "где {}", "{} на ноутбук", "не работает, положена ли {}"],
        facts: &[
            "Гарантия на новое оборудование — двенадцать месяцев, на ноутбуки до двух лет.",
            "Гарантийный ремонт делает наш сервисный центр, срок до сорока пяти дней.",
            "Для гарантии нужен чек или накладная, гарантийный талон можно восстановить по номеру заказа.",
            "Возврат товара надлежащего качества возможен в течение четырнадцати дней в упаковке.",
            "Если устройство сломалось по вине пользователя, ремонт платный, диагностика бесплатна.",
            "На время гарантийного ремонта можем выдать подменный принтер.",
            "Обмен товара с заводским браком делаем в день обращения.",
        ],
        objects: &["ноутбук", "принтер", "монитор", "системный блок", "ИБП", "роутер", "МФУ", "сервер", "сканер", "клавиатуру"],
    },
    Topic {
        slug: "invoices",
        subjects: &["счёт", "счёт на оплату", "счёт-фактура", "закрывающие документы", "акт выполненных работ", "УПД", "договор"],
        asks: &["пришлите {}", "где {}", "нужен {} с НДС", "когда будет {}", "как получить {}", "{} не пришёл"],
        facts: &[
            "Счёт на оплату отправляем на почту в течение часа после заявки.",
            "Мы работаем с НДС двадцать процентов, счёт-фактура приходит вместе с УПД.",
            "Закрывающие документы отправляем по ЭДО через Диадок или почтой оригиналы.",
            "Акт выполненных работ за месяц формируется до пятого числа следующего месяца.",
            "Для счёта нужны реквизиты: ИНН, КПП и юридический адрес компании.",
            "Оплата по счёту проходит от одного до трёх банковских дней.",
            "Договор подписываем по ЭДО или курьером, образец пришлём заранее.",
        ],
        objects: &["для бухгалтерии", "на юрлицо", "для ИП", "за прошлый месяц", "по ЭДО", "в Диадок", "на почту", "с печатью", "в двух экземплярах", "за квартал"],
    },
    Topic {
        slug: "hours",
        subjects: &["часы работы", "часы работы поддержки", "график работы офиса", "дежурный инженер", "работа в праздники", "круглосуточная поддержка"],
        asks: &["какие {}", "когда {}", "{} в выходные", "{} ночью", "до скольки {}", "есть ли {}"],
        facts: &[
            "Поддержка работает с 9 до 18 по будням, по московскому времени.",
            "Ночью и в выходные дежурит инженер для клиентов с тарифом «Круглосуточно».",
            "В праздники офис закрыт, заявки принимаем через портал и почту.",
            "Срочную аварию ночью можно передать дежурному по отдельному телефону.",
            "Магазин и склад работают с 10 до 19, в субботу до 16.",
            "Ответ на заявку в рабочее время — до одного часа, в выходные — до четырёх часов.",
            "Если звонок после 18 часов, запишите вопрос и передайте утром менеджеру.",
        ],
        objects: &["в субботу", "в воскресенье", "в новогодние праздники", "в майские", "после шести", "в обед", "по пятницам", "летом", "в праздничные дни", "ночью"],
    },
    Topic {
        slug: "network",
        subjects: &["настройка сети", "настройка Wi-Fi", "роутер", "локальная сеть", "прокладка кабеля", "VPN для сотрудников"],
        asks: &["сколько стоит {}", "делаете {}", "не работает {}", "нужна {} в офисе", "как быстро {}", "{} под ключ"],
        facts: &[
            "Настройку Wi-Fi в офисе делаем за один выезд, стоимость от 5 000 рублей.",
            "Прокладку кабеля считаем по метрам после осмотра помещения.",
            "VPN для удалённых сотрудников настраиваем за один день.",
            "Если пропал интернет, попросите перезагрузить роутер и проверить лампочки.",
            "Для офиса больше двадцати человек советуем управляемый коммутатор и несколько точек доступа.",
            "Локальную сеть документируем: схема и пароли передаются клиенту.",
            "Гостевую сеть Wi-Fi отделяем от рабочей, это безопаснее.",
        ],
        objects: &["MikroTik", "Keenetic", "TP-Link", "Ubiquiti", "Cisco", "в новом офисе", "на складе", "на двух этажах", "для переговорной", "для камер"],
    },
    Topic {
        slug: "computers",
        subjects: &["ноутбук", "компьютер", "системный блок", "монитор", "моноблок", "сборка компьютера", "апгрейд компьютера"],
        asks: &["сколько стоит {}", "посоветуйте {}", "есть ли {}", "нужен {} для бухгалтера", "{} в рассрочку", "{} для дизайнера"],
        facts: &[
            "Ноутбуки и компьютеры подбираем под задачи: офис, бухгалтерия, дизайн или разработка.",
            "Для офисной работы достаточно процессора Core i3 и восьми гигабайт памяти.",
            "Сборка компьютера занимает один рабочий день, тестирование входит в цену.",
            "Апгрейд: ставим SSD и добавляем память, старый компьютер работает заметно быстрее.",
            "Перед выдачей устанавливаем Windows, офисные программы и антивирус.",
            "Мониторы есть на складе от двадцати двух до тридцати двух дюймов.",
            "Старый компьютер можем принять в зачёт при покупке нового.",
        ],
        objects: &["Lenovo ThinkPad", "HP ProBook", "Dell Latitude", "Asus VivoBook", "Acer Aspire", "Huawei MateBook", "Apple MacBook", "Samsung", "LG", "Philips"],
    },
    Topic {
        slug: "payment",
        subjects: &["оплата картой", "оплата по счёту", "рассрочка", "отсрочка платежа", "наличные", "оплата по СБП", "предоплата"],
        asks: &["можно ли {}", "есть ли {}", "как сделать {}", "{} для физлица", "{} для юрлица", "принимаете {}"],
        facts: &[
            "Частные лица оплачивают картой, наличными или по СБП, чек приходит на почту.",
            "Компании оплачивают по счёту, работаем с НДС.",
            "Отсрочку платежа до тридцати дней даём постоянным клиентам по договору.",
            "Рассрочку на технику оформляет банк-партнёр прямо в офисе.",
            "Ссылку на оплату отправляет менеджер в СМС или мессенджере.",
            "Предоплата нужна для заказа оборудования под клиента.",
            "Возврат денег на карту занимает до десяти банковских дней.",
        ],
        objects: &["в офисе", "по ссылке", "курьеру", "через банк", "от компании", "частным лицом", "в рублях", "по QR-коду", "в два платежа", "без комиссии"],
    },
    Topic {
        slug: "security",
        subjects: &["антивирус", "резервное копирование", "восстановление данных", "защита от вирусов", "шифровальщик", "лицензия антивируса"],
        asks: &["сколько стоит {}", "нужен {}", "как настроить {}", "помогите, {}", "{} для офиса", "делаете {}"],
        facts: &[
            "Антивирус для компании продаём с лицензией на год, установка удалённо.",
            "Резервное копирование настраиваем на сервер и в облако, проверяем раз в месяц.",
            "Если файлы зашифрованы, попросите выключить компьютер от сети и не платить выкуп.",
            "Восстановление данных с диска начинается с бесплатной диагностики.",
            "Копии бухгалтерской базы 1С делаем каждую ночь автоматически.",
            "Лицензии продлеваем заранее, менеджер напомнит за месяц.",
            "Обучаем сотрудников не открывать подозрительные письма.",
        ],
        objects: &["Kaspersky", "Dr.Web", "ESET", "для 1С", "на сервере", "в облаке", "для ноутбуков", "на флешке", "для почты", "на двадцать компьютеров"],
    },
    Topic {
        slug: "engineer",
        subjects: &["выезд инженера", "вызов мастера", "ремонт принтера", "ремонт компьютера", "диагностика", "срочный выезд"],
        asks: &["сколько стоит {}", "когда будет {}", "как заказать {}", "нужен {} сегодня", "{} в выходные", "{} на дом"],
        facts: &[
            "Выезд инженера по Москве стоит 2 500 рублей, для абонентов бесплатно.",
            "Инженер приезжает на следующий рабочий день, срочно — в течение четырёх часов.",
            "Диагностика бесплатна, если клиент согласен на ремонт.",
            "Ремонт принтера на месте возможен, если есть запчасти, иначе забираем в сервис.",
            "Перед выездом инженер звонит и уточняет адрес и проблему.",
            "Запишите адрес, контактное лицо и удобное время.",
            "Работы инженера подтверждаются актом, клиент подписывает его на месте.",
        ],
        objects: &["в офис", "на дом", "на склад", "в филиал", "за город", "в выходной", "сегодня", "завтра утром", "после обеда", "к серверу"],
    },
];

/// Openings of titles, `{}` is the rest.
const TITLE_FORMS: &[&str] = &[
    "{}?",
    "Сколько стоит {}?",
    "Как заказать {}?",
    "Есть ли {}?",
    "Что делать, если {}?",
    "Можно ли {}?",
    "Когда будет {}?",
    "Кто отвечает за {}?",
    "Какие условия: {}?",
    "Вопрос клиента: {}",
];

/// Who is calling, appended to some titles.
const CALLERS: &[&str] = &[
    "",
    "для юрлица",
    "для частного лица",
    "для постоянного клиента",
    "для нового клиента",
    "для бюджетной организации",
    "для филиала",
    "для абонента",
    "для ИП",
    "для школы",
    "для клиники",
    "для магазина",
];

/// Sentences any answer may carry.
const GENERAL: &[&str] = &[
    "Скажите клиенту, что менеджер перезвонит в течение часа.",
    "Запишите имя, телефон и название компании.",
    "Если клиент недоволен, извинитесь и передайте обращение руководителю отдела.",
    "Не обещайте точную дату, пока не проверите наличие на складе.",
    "Уточните, работал ли клиент с нами раньше: у постоянных клиентов скидка.",
    "Цены на сайте актуальны, но менеджер может сделать индивидуальное предложение.",
    "Предложите отправить подробности на почту или в мессенджер.",
    "Если вопрос технический, переключите на дежурного инженера.",
    "Номер заявки продиктуйте клиенту и попросите записать.",
    "Новым клиентам даём скидку пять процентов на первый заказ.",
    "Постоянным клиентам доступна отсрочка платежа и персональный менеджер.",
    "Все звонки записываются для контроля качества, предупредите клиента.",
    "Если клиент спрашивает про акции, расскажите о бесплатной доставке от 10 000 рублей.",
    "Проверьте в CRM, нет ли у клиента открытой заявки.",
    "Адрес офиса: Москва, улица Профсоюзная, дом 65, вход со двора.",
];

/// Stems that take regular endings, so that bodies carry the word forms a real base has.
const MASCULINE: &[&str] = &[
    "принтер",
    "сервер",
    "ноутбук",
    "монитор",
    "роутер",
    "договор",
    "заказ",
    "адрес",
    "компьютер",
    "сканер",
    "проектор",
    "коммутатор",
    "маршрутизатор",
    "телефон",
    "планшет",
    "процессор",
    "диск",
    "аккумулятор",
    "блок",
    "кабинет",
    "офис",
    "склад",
    "клиент",
    "менеджер",
    "инженер",
    "специалист",
    "бухгалтер",
    "директор",
    "отдел",
    "филиал",
    "магазин",
    "тариф",
    "пакет",
    "сертификат",
    "ремонт",
    "выезд",
    "документ",
    "реестр",
    "отчёт",
    "расчёт",
    "порт",
    "разъём",
    "драйвер",
    "браузер",
    "логин",
    "аккаунт",
    "домен",
    "сайт",
    "хостинг",
    "архив",
    "файл",
    "сбой",
    "тонер",
    "ресурс",
    "лист",
    "формат",
    "терминал",
    "контракт",
    "счётчик",
    "ИБП",
];
const FEMININE: &[&str] = &[
    "программ",
    "систем",
    "клавиатур",
    "камер",
    "карт",
    "оплат",
    "работ",
    "проблем",
    "причин",
    "схем",
    "цен",
    "сумм",
    "плат",
    "платформ",
    "смет",
    "касс",
    "почт",
    "лент",
    "мембран",
    "матриц",
    "фирм",
    "печат",
    "стойк",
    "утилит",
];
const ADJECTIVES: &[&str] = &[
    "нов",
    "стар",
    "сетев",
    "лазерн",
    "цветн",
    "струйн",
    "беспроводн",
    "проводн",
    "удалённ",
    "резервн",
    "гарантийн",
    "платн",
    "бесплатн",
    "срочн",
    "основн",
    "запасн",
    "офисн",
    "серверн",
    "облачн",
    "локальн",
    "корпоративн",
    "личн",
    "годов",
    "месячн",
    "ежедневн",
    "ночн",
    "дневн",
    "сервисн",
    "оригинальн",
    "совместим",
    "восстановленн",
    "зарезервированн",
    "лицензионн",
];
/// Endings by case (nominative, genitive, dative, accusative, instrumental, prepositional).
const MASC_SG: [&str; 6] = ["", "а", "у", "", "ом", "е"];
const MASC_PL: [&str; 6] = ["ы", "ов", "ам", "ы", "ами", "ах"];
const FEM_SG: [&str; 6] = ["а", "ы", "е", "у", "ой", "е"];
const FEM_PL: [&str; 6] = ["ы", "", "ам", "ы", "ами", "ах"];
const ADJ_MASC_SG: [&str; 6] = ["ый", "ого", "ому", "ый", "ым", "ом"];
const ADJ_FEM_SG: [&str; 6] = ["ая", "ой", "ой", "ую", "ой", "ой"];
const ADJ_PL: [&str; 6] = ["ые", "ых", "ым", "ые", "ыми", "ых"];
/// Sentence frames by case, `{}` is the phrase.
const CASE_FRAMES: [&[&str]; 6] = [
    &[
        "{} — частый вопрос клиентов.",
        "Если {} не подходит, предложите замену.",
    ],
    &[
        "Для {} есть отдельная инструкция.",
        "Без {} заявку не оформляйте.",
    ],
    &[
        "По {} отвечает отдел продаж.",
        "Вопросы по {} передайте менеджеру.",
    ],
    &[
        "Клиент может заказать {} через портал.",
        "Проверьте {} в карточке клиента.",
    ],
    &[
        "С {} помогает дежурный инженер.",
        "Перед {} уточните адрес доставки.",
    ],
    &[
        "О {} подробно написано в договоре.",
        "В {} бывают ошибки, проверьте дважды.",
    ],
];

/// A sentence with an adjective and a noun agreeing in a random case and number.
fn inflected_sentence(rng: &mut Rng) -> String {
    let case = rng.below(6);
    let plural = rng.below(3) == 0;
    let adjective = *rng.pick(ADJECTIVES);
    let phrase = if rng.below(3) == 0 {
        let noun = *rng.pick(FEMININE);
        let (a, n) = if plural {
            (ADJ_PL, FEM_PL)
        } else {
            (ADJ_FEM_SG, FEM_SG)
        };
        format!("{adjective}{} {noun}{}", a[case], n[case])
    } else {
        let noun = *rng.pick(MASCULINE);
        let (a, n) = if plural {
            (ADJ_PL, MASC_PL)
        } else {
            (ADJ_MASC_SG, MASC_SG)
        };
        format!("{adjective}{} {noun}{}", a[case], n[case])
    };
    capitalize(&rng.pick(CASE_FRAMES[case]).replace("{}", &phrase))
}

/// Numbers that make the vocabulary grow as in a real base (prices, model numbers, phones).
fn number_sentence(rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => format!("Цена от {} рублей.", rng.range(3, 300) * 100),
        1 => format!(
            "Артикул на складе {}-{}.",
            rng.range(100, 999),
            rng.range(10, 99)
        ),
        2 => format!("Добавочный номер отдела {}.", rng.range(100, 450)),
        3 => format!("Срок {} рабочих дней.", rng.range(1, 14)),
        _ => format!(
            "Модель {}{} тоже подходит.",
            rng.pick(&["M", "MF", "P", "L", "TK-", "SP "]),
            rng.range(100, 9999)
        ),
    }
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Generates `n` answers with unique titles, deterministically.
fn generate(n: usize, seed: u64) -> Vec<Arc<Answer>> {
    let mut rng = Rng::new(seed);
    let mut titles = HashSet::new();
    let mut out = Vec::with_capacity(n);
    let reviewed = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    while out.len() < n {
        let t_i = rng.below(TOPICS.len());
        let topic = &TOPICS[t_i];
        let subject = *rng.pick(topic.subjects);
        let object = *rng.pick(topic.objects);
        let caller = *rng.pick(CALLERS);
        let core = if caller.is_empty() {
            format!("{subject} {object}")
        } else {
            format!("{subject} {object} {caller}")
        };
        let title = capitalize(&rng.pick(TITLE_FORMS).replace("{}", &core));
        if !titles.insert(title.clone()) {
            // Collision: another caller or object would give a new title; draw again.
            continue;
        }
        let questions: Vec<String> = (0..rng.range(2, 4))
            .map(|_| {
                let s = *rng.pick(topic.subjects);
                let q = rng.pick(topic.asks).replace("{}", &s.to_lowercase());
                if rng.below(2) == 0 {
                    format!("{q} {}", rng.pick(topic.objects))
                } else {
                    q
                }
            })
            .collect();
        let target_words = rng.range(40, 150);
        let mut body = format!("Скажите клиенту: {}", rng.pick(topic.facts));
        while word_count(&body) < target_words {
            let sentence = match rng.below(12) {
                0..=4 => rng.pick(topic.facts).to_string(),
                9 | 10 => inflected_sentence(&mut rng),
                5 => {
                    // A related topic's fact: real answers cross-reference.
                    let other = &TOPICS[rng.below(TOPICS.len())];
                    rng.pick(other.facts).to_string()
                }
                6 | 7 => rng.pick(GENERAL).to_string(),
                8 => number_sentence(&mut rng),
                _ => format!("Это касается и {}.", rng.pick(topic.objects)),
            };
            body.push(' ');
            body.push_str(&sentence);
        }
        // At most 150 words (the last sentence may be cut).
        if word_count(&body) > 150 {
            body = body
                .split_whitespace()
                .take(150)
                .collect::<Vec<_>>()
                .join(" ");
        }
        let slug = format!("{}/{:05}", topic.slug, out.len());
        out.push(Arc::new(Answer {
            slug: slug.clone(),
            path: format!("{slug}.md").into(),
            title,
            questions,
            audience: [Audience::Primary, Audience::Secondary, Audience::All][rng.below(3)],
            tags: vec![topic.slug.to_string()],
            reviewed,
            html: format!("<p>{body}</p>"),
            text: body,
        }));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

/// What the desk types, by kind. Trailing space = the operator finished the word.
const QUERIES: &[(&str, &str)] = &[
    // exact words
    ("exact", "принтер "),
    ("exact", "картридж "),
    ("exact", "доставка "),
    ("exact", "гарантия "),
    ("exact", "счёт "),
    ("exact", "администрирование "),
    ("exact", "антивирус "),
    ("exact", "ноутбук "),
    // plural and genitive forms
    ("forms", "принтеры "),
    ("forms", "картриджей "),
    ("forms", "доставки "),
    ("forms", "гарантии "),
    ("forms", "счета "),
    ("forms", "серверов "),
    ("forms", "ноутбуков "),
    ("forms", "инженера "),
    // typos
    ("typo", "админстрирование "),
    ("typo", "картридш "),
    ("typo", "гарнатия "),
    ("typo", "дотсавка "),
    ("typo", "принетр "),
    ("typo", "закрывающее документы "),
    ("typo", "резервноее копирование "),
    // prefixes being typed
    ("prefix", "заправ"),
    ("prefix", "принт"),
    ("prefix", "дост"),
    ("prefix", "гар"),
    ("prefix", "ка"),
    ("prefix", "пр"),
    ("prefix", "сч"),
    ("prefix", "админ"),
    // wrong keyboard layout
    ("layout", "ghbynth"),
    ("layout", "rfhnhblk"),
    ("layout", "ljcnfdrf"),
    ("layout", "ufhfynbz "),
    ("layout", "cxtn yf jgkfne"),
    ("layout", "сфтщт"),
    // English / Latin
    ("latin", "canon 2100"),
    ("latin", "printer"),
    ("latin", "hp laserjet"),
    ("latin", "cartridge "),
    ("latin", "wifi"),
    ("latin", "1с"),
    ("latin", "vpn"),
    ("latin", "kyocera tk-1170"),
    ("latin", "mikrotik"),
    // multi-word questions
    ("multi", "сколько стоит заправка картриджа canon"),
    ("multi", "когда привезёте заказ в офис"),
    ("multi", "не печатает принтер после заправки"),
    ("multi", "нужен счёт с ндс на оплату"),
    ("multi", "можно ли вызвать инженера ночью"),
    ("multi", "удалённое администрирование серверов цена"),
    ("multi", "гарантия на ноутбук сколько месяцев"),
    ("multi", "до скольки работает поддержка в субботу"),
    ("multi", "доставка в регионы транспортной компанией"),
    ("multi", "как оплатить картой физлицу"),
    ("multi", "файлы зашифрованы что делать"),
    ("multi", "настройка wi-fi в новом офисе под ключ"),
    (
        "multi",
        "пришлите закрывающие документы за прошлый месяц по эдо",
    ),
    (
        "multi",
        "есть ли в наличии hp laserjet pro m404 и картриджи к нему",
    ),
];

/// Every prefix of the query, letter by letter, as the live page sends them.
fn as_typed(q: &str) -> Vec<String> {
    let trimmed = q.trim_end();
    let mut out: Vec<String> = trimmed
        .char_indices()
        .map(|(i, c)| trimmed[..i + c.len_utf8()].to_string())
        .filter(|p| !p.trim().is_empty())
        .collect();
    if trimmed.len() < q.len() {
        out.push(q.to_string());
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Measurement
// ---------------------------------------------------------------------------------------------

/// One full server-side search, timed.
fn timed_search(index: &AnswerIndex, q: &str) -> (Duration, usize) {
    let start = Instant::now();
    let hits = index.search(&QueryPlan::parse(q), 10).expect("search");
    let took = start.elapsed();
    (took, std::hint::black_box(hits).len())
}

/// The path with more candidates than hits (ranking 50, snippets for the best 10), as a caller
/// that re-ranks candidates before showing them would take.
fn timed_candidates(index: &AnswerIndex, q: &str) -> Duration {
    let start = Instant::now();
    let plan = QueryPlan::parse(q);
    let ranked = index.ranked(&plan, 50).expect("ranked");
    let matcher = Matcher::new(&plan);
    let hits: Vec<_> = ranked
        .iter()
        .take(10)
        .map(|(answer, score)| index.hit(&matcher, answer, *score))
        .collect();
    let took = start.elapsed();
    std::hint::black_box(hits);
    took
}

/// The same path in three parts: parse, tantivy (ranked), snippets.
fn timed_parts(index: &AnswerIndex, q: &str) -> [Duration; 3] {
    let t0 = Instant::now();
    let plan = QueryPlan::parse(q);
    let t1 = Instant::now();
    let ranked = index.ranked(&plan, 10).expect("ranked");
    let t2 = Instant::now();
    let matcher = Matcher::new(&plan);
    let hits: Vec<_> = ranked
        .iter()
        .map(|(answer, score)| index.hit(&matcher, answer, *score))
        .collect();
    let t3 = Instant::now();
    std::hint::black_box(hits);
    [t1 - t0, t2 - t1, t3 - t2]
}

fn main() {
    // `cargo bench` passes `--bench`; anything else (cargo test --benches) gets a smoke run.
    let full = std::env::args().any(|a| a == "--bench");
    let n = if full {
        env_usize("BENCH_ANSWERS", 10_000)
    } else {
        300
    };
    let rounds = if full {
        env_usize("BENCH_ROUNDS", 20)
    } else {
        1
    };

    println!(
        "callfaq search benchmark{}",
        if full { "" } else { " (smoke run)" }
    );
    println!(
        "machine: nproc {}, cpu {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        cpu_model()
    );

    let t = Instant::now();
    let answers = generate(n, 0x00C0_FFEE_2026_1128);
    let gen_time = t.elapsed();
    let words: usize = answers.iter().map(|a| word_count(&a.text)).sum();
    let mut vocabulary = HashSet::new();
    for a in &answers {
        for w in analysis::words(&a.text)
            .into_iter()
            .chain(analysis::words(&a.title))
            .chain(a.questions.iter().flat_map(|q| analysis::words(q)))
        {
            vocabulary.insert(w.text);
        }
    }
    let knowledge = Knowledge::from_answers(answers);
    assert_eq!(knowledge.len(), n, "slugs must be unique");
    println!(
        "answers {} (body words {}, mean {:.0}/answer; {} distinct words), generated in {:.0} ms",
        knowledge.len(),
        words,
        words as f64 / n as f64,
        vocabulary.len(),
        ms(gen_time)
    );

    // Index build: a few times, the knowledge reload path does exactly this.
    let mut builds = Vec::new();
    let mut index = None;
    for _ in 0..if full { 3 } else { 1 } {
        drop(index.take());
        let t = Instant::now();
        let built = AnswerIndex::build(&knowledge).expect("build");
        builds.push(t.elapsed());
        index = Some(built);
    }
    let index = index.expect("index");
    builds.sort();
    println!(
        "index build {:.0} ms (min of {}; max {:.0} ms)",
        ms(builds[0]),
        builds.len(),
        ms(*builds.last().unwrap())
    );

    // Warm-up: one pass of everything, not measured.
    for (_, q) in QUERIES {
        for p in as_typed(q) {
            timed_search(&index, &p);
        }
    }

    let mut overall = Vec::new();
    let mut typed = Vec::new();
    let mut by_kind: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut worst: BTreeMap<String, Duration> = BTreeMap::new();
    let mut empty = Vec::new();
    for round in 0..rounds {
        for (kind, q) in QUERIES {
            let (d, hits) = timed_search(&index, q);
            overall.push(d);
            by_kind.entry(*kind).or_default().push(d);
            if round == 0 && hits == 0 {
                empty.push(*q);
            }
            let w = worst.entry(q.to_string()).or_default();
            *w = (*w).max(d);
        }
        for (_, q) in QUERIES {
            for p in as_typed(q) {
                let (d, _) = timed_search(&index, &p);
                typed.push(d);
                let w = worst.entry(p).or_default();
                *w = (*w).max(d);
            }
        }
    }

    // Breakdown over the as-you-type prefixes (they include the full queries).
    let mut parts: [Vec<Duration>; 3] = Default::default();
    let mut candidates = Vec::new();
    // The text a search reads the query's meaning from, each word nobody knows respelled as
    // the answers spell it (no linked history here: only the answers' words are known).
    let mut respell = Vec::new();
    for _ in 0..rounds.div_ceil(4) {
        for (_, q) in QUERIES {
            for p in as_typed(q) {
                for (i, d) in timed_parts(&index, &p).into_iter().enumerate() {
                    parts[i].push(d);
                }
                candidates.push(timed_candidates(&index, &p));
                let start = Instant::now();
                std::hint::black_box(index.respell(&p, |_| false));
                respell.push(start.elapsed());
            }
        }
    }

    println!(
        "queries {} ({} as-you-type prefixes), {} rounds, limit 10, single thread",
        QUERIES.len(),
        typed.len() / rounds.max(1),
        rounds
    );
    println!("{}", summary("search", &overall));
    println!("{}", summary("as-you-type", &typed));
    for (kind, samples) in &by_kind {
        println!("{}", summary(&format!("  {kind}"), samples));
    }
    println!("{}", summary("part: parse", &parts[0]));
    println!("{}", summary("part: tantivy", &parts[1]));
    println!("{}", summary("part: snippets (10)", &parts[2]));
    println!("{}", summary("part: respell for meaning", &respell));
    println!("{}", summary("rank 50, snippet 10", &candidates));
    let mut slowest: Vec<_> = worst.into_iter().collect();
    slowest.sort_by_key(|(_, d)| std::cmp::Reverse(*d));
    let slowest: Vec<String> = slowest
        .iter()
        .take(5)
        .map(|(q, d)| format!("{q:?} {:.2}", ms(*d)))
        .collect();
    println!("slowest (max ms): {}", slowest.join(", "));
    if !empty.is_empty() {
        println!("queries without hits: {empty:?}");
    }
    println!(
        "peak memory VmHWM {} (VmRSS now {})",
        status_field("self", "VmHWM:"),
        status_field("self", "VmRSS:")
    );
}
