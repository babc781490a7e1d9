//! Call-desk benchmark: logging caller questions over HTTP, search with a million caller
//! questions in the question index, and server start-up on that data folder.
//!
//! Run with `cargo bench --bench calls` (release build; it also builds the release binary, which
//! it starts as a child process on loopback ports). What it does, in three phases:
//!
//! 1. `http`: starts `callfaq serve` on an empty temporary data folder and the shipped
//!    `knowledge/`, makes an operator token with `callfaq token create`, opens calls with
//!    `POST /api/calls` and logs questions with `POST /api/calls/{id}/questions` (with and
//!    without an `answer` slug), one client and then four concurrent clients, each scenario
//!    bounded in count and time, a new call every 100 questions. Only `201` responses count.
//!    Also times a bare `write + fdatasync` on the same disk: with SQLite in WAL mode and
//!    `synchronous=FULL` every commit waits for one (a logged question commits twice: the
//!    question and its audit line).
//! 2. `search`: generates 1,000,000 Russian caller questions (100,000 calls × 10) with a fixed
//!    seed, about 60% linked to slugs of the shipped answers, loads them with `Store::import`,
//!    builds the question index with `questions::rebuild`, then times a fixed set of queries and
//!    their as-you-type prefixes through `Library::search` with the question index: the
//!    server-side path of `GET /api/search`. A breakdown times answer ranking, caller-question
//!    evidence and snippets apart, and the same searches without the question index.
//! 3. `startup`: starts the release binary on that data folder four times (the folder's first
//!    start, which also creates the `admin` account; one with the folder's files evicted from
//!    the page cache; two warm), measures the time from spawn to the first `200` from
//!    `GET /healthz`, checks that the log mentions no rebuild, times the first search (it waits
//!    for the retention sweep, which holds the store at start-up), reads `VmRSS` / `VmHWM` from
//!    `/proc/PID/status` after start and after sending every query as typed through
//!    `GET /api/search`.
//!
//! Everything is written to a temporary folder that is removed at the end.
//!
//! Environment: `BENCH_QUESTIONS` (default 1000000), `BENCH_ROUNDS` (default 10, rounds of the
//! full queries; the as-you-type prefixes run a quarter as many), `BENCH_HTTP_SECONDS` (default
//! 15, time limit per logging scenario), `BENCH_HTTP_MAX` (default 3000, questions per logging
//! scenario at most), `BENCH_PHASES` (default `http,search,startup`), `BENCH_DATA` (a folder to
//! keep the generated data in and reuse on the next run instead of the temporary one; never
//! removed). Without `--bench` (as `cargo test --benches` runs it) it does a quick smoke run.

mod common;

use callfaq::calls::transfer::{CallLine, QuestionLine};
use callfaq::calls::{CallKind, Outcome};
use callfaq::library::{Library, SearchOptions};
use callfaq::search::hit;
use callfaq::search::query::QueryPlan;
use callfaq::search::questions::{self, QuestionIndex};
use callfaq::store::Store;
use chrono::{TimeZone, Utc};
use common::{cpu_model, env_usize, ms, status_field, summary, Rng};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Deterministic generator of caller questions
// ---------------------------------------------------------------------------------------------

/// How callers ask about one shipped answer. Slots: `{p}` printer, `{k}` cartridge, `{c}` place,
/// `{n}` a count, `{d}` a day or time, `{r}` a receipt number, `{m}` an amount.
struct CallerTopic {
    slug: &'static str,
    asks: &'static [&'static str],
}

const CALLER_TOPICS: &[CallerTopic] = &[
    CallerTopic {
        slug: "antivirus-security",
        asks: &[
            "поставить антивирус на {n} компьютеров",
            "касперский для бизнеса сколько стоит",
            "поймали вирус шифровальщик",
            "у нас зашифровались все файлы",
            "нужна защита от взлома",
            "продлить лицензию касперского",
            "компьютер тормозит наверное вирус",
            "какой антивирус лучше для офиса",
            "вы ставите антивирусы",
            "пришло письмо с вирусом что делать",
        ],
    },
    CallerTopic {
        slug: "backup-setup",
        asks: &[
            "бэкап базы 1с",
            "настроить резервное копирование сервера",
            "сделать бекап в облако",
            "как не потерять данные если сломается диск",
            "копирование файлов каждый день",
            "нужны резервные копии",
            "сколько стоит настройка бэкапа",
            "восстановить файлы из копии",
        ],
    },
    CallerTopic {
        slug: "canon-2100-availability",
        asks: &[
            "{p} есть на складе",
            "когда можно забрать принтер {p}",
            "принтер {p} в наличии или под заказ",
            "сколько ждать {p}",
            "есть ли в наличии {p}",
            "нужно {n} принтеров {p} есть столько",
        ],
    },
    CallerTopic {
        slug: "canon-2100-cartridge",
        asks: &[
            "картридж для {p}",
            "купить картридж к принтеру {p}",
            "оригинальный или совместимый картридж",
            "сколько страниц печатает картридж {k}",
            "какой картридж подходит к {p}",
            "есть картридж {k}",
            "почем картридж {k}",
        ],
    },
    CallerTopic {
        slug: "canon-2100-price",
        asks: &[
            "цена {p}",
            "{p} сколько стоит",
            "почем принтер {p}",
            "стоимость лазерного принтера {p}",
            "сколько стоит принтер",
            "нужен недорогой принтер для офиса",
            "какой принтер посоветуете",
        ],
    },
    CallerTopic {
        slug: "card-payment-individuals",
        asks: &[
            "оплата картой",
            "я физлицо можно купить",
            "принимаете наличные",
            "оплата по сбп",
            "пришлите ссылку на оплату",
            "можно оплатить картой курьеру",
            "можно заплатить наличными при получении",
            "чек на почту придет",
        ],
    },
    CallerTopic {
        slug: "cartridge-refill-price",
        asks: &[
            "заправить картридж цена",
            "заправка картриджа {p}",
            "сколько стоит заправить картридж {k}",
            "вы забираете картриджи на заправку",
            "заправка картриджей с выездом",
            "заправка {n} картриджей",
            "сколько стоит заправка",
            "картридж закончился где заправить",
            "заправляете картриджи {k}",
        ],
    },
    CallerTopic {
        slug: "change-service-plan",
        asks: &[
            "хотим перейти на другой тариф",
            "добавить {n} рабочих мест в договор",
            "уменьшить абонентку",
            "перейти на премиум",
            "у нас стало больше сотрудников",
            "поменять тариф обслуживания",
            "сколько будет стоить если добавить сервер",
        ],
    },
    CallerTopic {
        slug: "closing-documents",
        asks: &[
            "нужен акт за прошлый месяц",
            "где упд",
            "не пришли закрывающие документы",
            "документы через эдо",
            "акт сверки запросить",
            "бухгалтерия просит акты за квартал",
            "пришлите счет фактуру",
            "оригиналы документов почтой",
        ],
    },
    CallerTopic {
        slug: "complaint",
        asks: &[
            "у меня жалоба",
            "инженер не приехал",
            "соедините с руководителем",
            "ваш сотрудник нагрубил",
            "сорвали сроки ремонта",
            "третий раз звоню никто не перезвонил",
            "хочу пожаловаться на инженера",
            "заявку не выполнили",
        ],
    },
    CallerTopic {
        slug: "computers-laptops-sale",
        asks: &[
            "купить ноутбуки для офиса",
            "сколько стоит компьютер для бухгалтера",
            "сборка пк под заказ",
            "нужно {n} компьютеров в офис",
            "продаете оргтехнику",
            "есть ноутбуки lenovo",
            "нужен мощный компьютер для дизайнера",
            "моноблоки продаете",
        ],
    },
    CallerTopic {
        slug: "contract-signing",
        asks: &[
            "пришлите договор",
            "как начать с вами работать",
            "какие документы нужны для договора",
            "договор на ит обслуживание",
            "есть ли sla в договоре",
            "хотим заключить договор",
            "пришлите образец договора на почту",
        ],
    },
    CallerTopic {
        slug: "contract-termination",
        asks: &[
            "хотим расторгнуть договор",
            "отказаться от обслуживания",
            "сколько дней предупреждать о расторжении",
            "есть ли штраф за расторжение",
            "переходим к другому подрядчику",
            "как закрыть договор",
        ],
    },
    CallerTopic {
        slug: "delivery-cost-terms",
        asks: &[
            "доставка по москве цена",
            "бесплатная доставка от какой суммы",
            "когда доставите заказ",
            "во сколько приедет курьер",
            "доставка в подмосковье",
            "доставка {c} сколько стоит",
            "можно доставку {d}",
            "где мой заказ курьер не приехал",
            "сколько стоит доставка",
        ],
    },
    CallerTopic {
        slug: "delivery-regions-pickup",
        asks: &[
            "отправите в питер",
            "доставка транспортной компанией",
            "самовывоз есть",
            "откуда забрать заказ",
            "отправка сдэком",
            "доставляете {c}",
            "можно забрать самим {d}",
            "отправка в регионы сколько идет",
        ],
    },
    CallerTopic {
        slug: "email-problems",
        asks: &[
            "почта не работает",
            "письма не уходят",
            "не приходят письма от клиентов",
            "outlook просит пароль",
            "переполнен почтовый ящик",
            "почта не отправляет вложения",
            "письма падают в спам",
            "аутлук не открывается",
        ],
    },
    CallerTopic {
        slug: "engineer-visit-price",
        asks: &[
            "вызвать мастера в офис цена",
            "выезд специалиста стоимость",
            "сколько стоит вызов компьютерщика",
            "выезд {c} сколько",
            "сколько стоит выезд инженера",
            "платный ли выезд",
            "выезд мастера {d} сколько стоит",
        ],
    },
    CallerTopic {
        slug: "engineer-visit-timing",
        asks: &[
            "когда приедет мастер",
            "можно инженера {d}",
            "срочный выезд",
            "приезжаете в область",
            "выезжаете {c}",
            "инженер опаздывает",
            "во сколько будет инженер",
        ],
    },
    CallerTopic {
        slug: "holidays-weekends",
        asks: &[
            "работаете в субботу",
            "в воскресенье кто-нибудь ответит",
            "график на новогодние праздники",
            "майские праздники работаете",
            "сервер сломался в выходной",
            "вы работаете {d}",
            "в праздники есть дежурный",
        ],
    },
    CallerTopic {
        slug: "invoice-vat",
        asks: &[
            "выставите счет на юрлицо",
            "безналичный расчет возможен",
            "вы работаете с ндс",
            "цены с ндс или без",
            "нужен счет для оплаты",
            "пришлите счет на {m} рублей",
            "счет на ип можно",
            "оплата по счету от организации",
        ],
    },
    CallerTopic {
        slug: "it-consulting-audit",
        asks: &[
            "нужен ит аудит офиса",
            "консультация по ит сколько стоит",
            "проверить нашу инфраструктуру",
            "вы делаете консалтинг в сфере ит",
            "аудит сети и серверов",
            "посоветуйте как модернизировать офис",
        ],
    },
    CallerTopic {
        slug: "it-outsourcing-office",
        asks: &[
            "ит аутсорсинг для офиса",
            "нам нужен приходящий админ",
            "ушел сисадмин кто будет обслуживать",
            "заменить штатного админа",
            "обслуживание офиса на {n} компьютеров",
            "нужен системный администратор на аутсорс",
        ],
    },
    CallerTopic {
        slug: "manager-unavailable",
        asks: &[
            "соедините с менеджером",
            "менеджера нет на месте",
            "позовите моего менеджера",
            "перезвоните мне",
            "с кем можно обсудить условия",
            "можно поговорить с ольгой",
            "мой менеджер не отвечает",
        ],
    },
    CallerTopic {
        slug: "network-wifi-setup",
        asks: &[
            "настройка wifi в офисе",
            "плохо ловит вайфай",
            "прокладка сети в новом офисе",
            "проложить кабель и поставить роутер",
            "сколько стоит локальная сеть",
            "настроить роутер",
            "нужна сеть на {n} рабочих мест",
            "переезжаем в новый офис нужна сеть",
            "wi-fi не работает в переговорной",
        ],
    },
    CallerTopic {
        slug: "new-client-discount",
        asks: &[
            "какие у вас акции",
            "скидка на первый месяц",
            "можно дешевле",
            "бесплатный аудит для новых",
            "скидка при заключении договора",
            "есть скидки для новых клиентов",
            "дадите скидку если возьмем {n} штук",
        ],
    },
    CallerTopic {
        slug: "night-emergency",
        asks: &[
            "авария ночью кому звонить",
            "круглосуточная поддержка есть",
            "не работает сервер ночью",
            "экстренная помощь в нерабочее время",
            "дежурный инженер телефон",
            "ночью упал сервер",
            "после 18 кто-то ответит",
        ],
    },
    CallerTopic {
        slug: "office-address",
        asks: &[
            "ваш адрес",
            "как доехать до офиса",
            "есть ли парковка",
            "ближайшее метро",
            "куда привезти принтер в ремонт",
            "где вы находитесь",
            "как к вам проехать на машине",
            "адрес сервисного центра",
        ],
    },
    CallerTopic {
        slug: "payment-deferral",
        asks: &[
            "оплата после поставки",
            "постоплата возможна",
            "дайте отсрочку на две недели",
            "можно оплатить позже",
            "не успеваем оплатить до 5 числа",
            "отсрочка платежа",
            "оплатим в следующем месяце можно",
        ],
    },
    CallerTopic {
        slug: "portal-password-reset",
        asks: &[
            "забыл пароль от кабинета",
            "не пускает в портал заявок",
            "как восстановить доступ к личному кабинету",
            "новый сотрудник нужен доступ к кабинету",
            "сбросить пароль",
            "не могу войти в личный кабинет",
            "не приходит письмо для восстановления пароля",
        ],
    },
    CallerTopic {
        slug: "price-list",
        asks: &[
            "пришлите прайс",
            "сколько стоят ваши услуги",
            "где посмотреть цены",
            "расценки на обслуживание",
            "коммерческое предложение пришлите",
            "прайс лист на почту",
            "цены на сайте актуальные",
        ],
    },
    CallerTopic {
        slug: "printer-not-printing",
        asks: &[
            "принтер не печатает",
            "замяло бумагу в принтере",
            "принтер жует бумагу",
            "документы висят в очереди печати",
            "принтер пишет ошибка",
            "{p} не печатает",
            "принтер печатает полосами",
            "принтер не видит компьютер",
            "бледно печатает",
            "мфу не сканирует",
        ],
    },
    CallerTopic {
        slug: "printer-repair",
        asks: &[
            "ремонт принтера цена",
            "сломался принтер куда везти",
            "починить мфу",
            "ремонт принтера с выездом",
            "диагностика принтера сколько стоит",
            "ремонт {p}",
            "принтер гудит и не берет бумагу",
            "вы ремонтируете принтеры {p}",
        ],
    },
    CallerTopic {
        slug: "reaction-time",
        asks: &[
            "через сколько ответит инженер",
            "время реакции по договору",
            "сколько ждать если сломалось",
            "как быстро решаете проблемы",
            "заявку оставили час назад никто не ответил",
            "как быстро возьмут заявку",
        ],
    },
    CallerTopic {
        slug: "remote-admin-included",
        asks: &[
            "что вы делаете за абонентскую плату",
            "что входит в удаленное администрирование",
            "какие работы включены в тариф",
            "помощь пользователям входит или нет",
            "установка программ входит в абонентку",
            "выезды входят в обслуживание",
        ],
    },
    CallerTopic {
        slug: "remote-admin-price",
        asks: &[
            "цена обслуживания серверов удаленно",
            "абонентская плата за администрирование",
            "сколько стоит обслуживание компьютеров в месяц",
            "абонентка на ит сколько",
            "удаленное администрирование цена",
            "обслуживание {n} компьютеров сколько стоит",
            "сколько стоит админ удаленно",
        ],
    },
    CallerTopic {
        slug: "repair-service-centre",
        asks: &[
            "сроки ремонта ноутбука",
            "сервисный центр где",
            "сколько чинить компьютер",
            "ремонт техники цена",
            "диагностика бесплатная",
            "ремонт ноутбука сколько дней",
            "замена экрана ноутбука",
            "сколько стоит ремонт компьютера",
        ],
    },
    CallerTopic {
        slug: "repair-status",
        asks: &[
            "статус ремонта",
            "когда будет готов принтер из ремонта",
            "мой ноутбук уже починили",
            "номер квитанции {r} ремонт",
            "почему так долго ремонт",
            "готов ли мой ремонт квитанция {r}",
            "можно забрать технику из ремонта",
        ],
    },
    CallerTopic {
        slug: "report-outage",
        asks: &[
            "не работает интернет во всем офисе",
            "упал сервер",
            "не открывается 1с у всех",
            "срочно нужна помощь авария",
            "пропала сеть",
            "ничего не работает",
            "все компьютеры отключились",
            "сервер не отвечает",
        ],
    },
    CallerTopic {
        slug: "servers-and-workstations",
        asks: &[
            "есть ли обслуживание серверов",
            "админите ли вы сервер 1с",
            "нужен админ на сервер и рабочие станции",
            "обслуживание рабочих мест цена",
            "обслуживаете ли вы linux серверы",
            "у нас свой сервер можете обслуживать",
        ],
    },
    CallerTopic {
        slug: "software-1c-licenses",
        asks: &[
            "купить лицензию 1с",
            "установка 1с на сервер",
            "лицензии на программы для офиса",
            "нужен касперский и 1с",
            "перенести базу 1с",
            "обновить 1с бухгалтерию",
            "лицензия windows для {n} компьютеров",
            "microsoft office купить",
        ],
    },
    CallerTopic {
        slug: "supplier-offer",
        asks: &[
            "мы поставщик оборудования",
            "коммерческое предложение для закупок",
            "предлагаем сотрудничество",
            "кто у вас отвечает за закупки",
            "хотим стать вашим партнером",
            "предлагаем картриджи оптом",
        ],
    },
    CallerTopic {
        slug: "support-hours",
        asks: &[
            "до скольки вы работаете",
            "режим работы офиса",
            "во сколько открывается техподдержка",
            "часы работы сервисного центра",
            "когда можно позвонить",
            "вы работаете {d}",
            "во сколько обед",
        ],
    },
    CallerTopic {
        slug: "vacancies",
        asks: &[
            "вы ищете сотрудников",
            "требуется системный администратор",
            "куда отправить резюме",
            "работа у вас",
            "нужны ли инженеры",
            "есть вакансия инженера",
            "берете стажеров",
        ],
    },
    CallerTopic {
        slug: "warranty-terms",
        asks: &[
            "сколько гарантия на принтер",
            "гарантия на компьютеры",
            "гарантийный срок ноутбука",
            "гарантия на ремонт есть",
            "куда обращаться по гарантии",
            "гарантия на {p}",
            "сломался по гарантии что делать",
            "потерял гарантийный талон",
        ],
    },
    CallerTopic {
        slug: "warranty-void",
        asks: &[
            "почему отказали в гарантии",
            "гарантия не действует если",
            "залили ноутбук гарантия",
            "снимут с гарантии если заправить",
            "сломали пломбу",
            "уронили ноутбук это гарантийный случай",
        ],
    },
];

/// Questions no answer covers: never linked.
const OFF_TOPIC: &[&str] = &[
    "вы продаете кофемашины",
    "можно купить мебель для офиса",
    "вы чините телефоны",
    "ремонт айфона делаете",
    "сделайте нам сайт",
    "сколько стоит разработка сайта",
    "вы делаете ремонт квартир",
    "продаете кондиционеры",
    "установка видеонаблюдения на даче",
    "нужен бухгалтер на аутсорс",
    "это налоговая",
    "я ошибся номером",
    "а это ромашка",
    "заберите старую технику на утилизацию",
    "вы покупаете б/у компьютеры",
    "где ближайший банкомат",
    "можно к вам на практику",
    "мне звонили с этого номера",
    "нужна реклама в интернете",
    "сколько стоит продвижение сайта",
    "вы делаете электрику в офисе",
    "настроить телевизор в переговорной",
    "ремонт холодильника",
    "пришлите сертификат на товар",
    "участвуете в госзакупках",
    "нужна справка для налоговой",
    "мастер по ремонту стиральных машин",
    "продаете бумагу {m} пачек",
    "заказ {r} где он",
    "сколько стоит {p} б/у",
];

const PRINTERS: &[&str] = &[
    "canon 2100",
    "кэнон 2100",
    "canon mf3010",
    "hp 1020",
    "hp laserjet m111",
    "hp m404",
    "kyocera 2035",
    "kyocera p2335",
    "brother 2300",
    "xerox 3020",
    "pantum p2500",
    "samsung 2020",
    "ricoh sp 230",
    "epson l3250",
];
const CARTRIDGES: &[&str] = &[
    "12a",
    "hp 85a",
    "hp 83a",
    "canon 725",
    "737",
    "tk-1170",
    "tn-1075",
    "mlt-d111s",
    "pc-211",
    "106r02773",
];
const PLACES: &[&str] = &[
    "в химки",
    "в подольск",
    "в питер",
    "в казань",
    "в мытищи",
    "в балашиху",
    "в люберцы",
    "в зеленоград",
    "в тверь",
    "в новосибирск",
    "за мкад",
    "в королев",
    "в одинцово",
    "в красногорск",
    "в долгопрудный",
    "в видное",
    "в тулу",
    "в калугу",
];
const WHEN: &[&str] = &[
    "сегодня",
    "завтра",
    "в субботу",
    "в понедельник",
    "до обеда",
    "вечером",
    "на этой неделе",
    "к пятнице",
    "после шести",
    "утром",
];
const OPENERS: &[&str] = &[
    "здравствуйте,",
    "добрый день,",
    "подскажите,",
    "скажите пожалуйста,",
    "а",
    "девушка,",
    "алло,",
    "у меня вопрос:",
    "хотел узнать,",
    "хотела уточнить,",
    "такой вопрос:",
    "слушайте,",
    "извините,",
    "вот еще что,",
    "и еще,",
];
const TAILS: &[&str] = &[
    "срочно",
    "для офиса",
    "для нашей компании",
    "а то начальник ругается",
    "на этой неделе",
    "пожалуйста",
    "если можно",
    "очень нужно",
    "мы ваши клиенты",
    "нам посоветовали вас",
    "второй день уже",
    "у нас бухгалтерия стоит",
];
const COMPANIES: &[&str] = &[
    "ромашка",
    "техносфера",
    "вектор",
    "альфа строй",
    "медцентр здоровье",
    "школа 1243",
    "стоматология улыбка",
    "логистик плюс",
    "гранд отель",
    "автосервис мотор",
    "юрфирма право",
    "пекарня хлебница",
    "агентство горизонт",
    "склад 24",
    "фитнес атлет",
    "клиника доктор",
];
const OPERATORS: &[&str] = &["Анна", "Мария", "Ольга", "Сергей", "Дмитрий", "Елена"];
const MANAGERS: &[&str] = &["Лена", "Игорь", "Павел", "Наталья"];

/// Common spelling slips: a vowel for another, a letter dropped, doubled or swapped.
fn typo(rng: &mut Rng, text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let long: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].chars().count() >= 5)
        .collect();
    if long.is_empty() {
        return text.to_string();
    }
    let at = *rng.pick(&long);
    let mut chars: Vec<char> = words[at].chars().collect();
    let i = rng.range(1, chars.len() - 2);
    match rng.below(4) {
        0 => {
            let swap = |c: char| match c {
                'о' => Some('а'),
                'а' => Some('о'),
                'е' => Some('и'),
                'и' => Some('е'),
                _ => None,
            };
            if let Some(j) = (1..chars.len()).find(|&j| swap(chars[j]).is_some()) {
                chars[j] = swap(chars[j]).unwrap();
            } else {
                chars.remove(i);
            }
        }
        1 => {
            chars.remove(i);
        }
        2 => {
            let c = chars[i];
            chars.insert(i, c);
        }
        _ => chars.swap(i, i + 1),
    }
    let changed: String = chars.into_iter().collect();
    words
        .iter()
        .enumerate()
        .map(|(j, w)| if j == at { changed.as_str() } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

fn fill(rng: &mut Rng, template: &str) -> String {
    let mut out = template.to_string();
    for (slot, value) in [
        ("{p}", rng.pick(PRINTERS).to_string()),
        ("{k}", rng.pick(CARTRIDGES).to_string()),
        ("{c}", rng.pick(PLACES).to_string()),
        ("{n}", rng.range(2, 40).to_string()),
        ("{d}", rng.pick(WHEN).to_string()),
        ("{r}", rng.range(10_000, 99_999).to_string()),
        ("{m}", (rng.range(1, 300) * 1000).to_string()),
    ] {
        if out.contains(slot) {
            out = out.replace(slot, &value);
        }
    }
    out
}

/// One caller question and the slug it is linked to, if any: about 60% linked, 25% on a known
/// topic but not linked, 15% about something no answer covers.
fn caller_question(rng: &mut Rng) -> (String, Option<&'static str>) {
    let roll = rng.below(100);
    let (core, answer) = if roll < 85 {
        let topic = rng.pick(CALLER_TOPICS);
        let template = *rng.pick(topic.asks);
        (fill(rng, template), (roll < 60).then_some(topic.slug))
    } else {
        let template = *rng.pick(OFF_TOPIC);
        (fill(rng, template), None)
    };
    let mut text = String::new();
    if rng.chance(8) {
        text.push_str("мы из ");
        text.push_str(*rng.pick(COMPANIES));
        text.push_str(", ");
    } else if rng.chance(35) {
        text.push_str(*rng.pick(OPENERS));
        text.push(' ');
    }
    text.push_str(&core);
    if rng.chance(20) {
        text.push_str(", ");
        text.push_str(*rng.pick(TAILS));
    }
    if rng.chance(10) {
        text = typo(rng, &text);
    }
    if rng.chance(35) {
        text.push('?');
    }
    if rng.chance(30) {
        let mut c = text.chars();
        if let Some(first) = c.next() {
            text = first.to_uppercase().chain(c).collect();
        }
    }
    (text, answer)
}

/// Calls `first .. first + count` of the generated history: one call about every ten minutes
/// over the two years before 2026-11-28, `per_call` questions each.
fn generate_calls(rng: &mut Rng, first: usize, count: usize, per_call: usize) -> Vec<CallLine> {
    let base = Utc.with_ymd_and_hms(2024, 11, 28, 6, 0, 0).unwrap();
    (first..first + count)
        .map(|i| {
            let started_at =
                base + chrono::Duration::seconds(i as i64 * 600 + rng.range(0, 300) as i64);
            let kind = if rng.chance(55) {
                CallKind::Primary
            } else {
                CallKind::Secondary
            };
            let questions = (0..per_call)
                .map(|j| {
                    let (text, answer) = caller_question(rng);
                    QuestionLine {
                        text,
                        asked_at: Some(started_at + chrono::Duration::seconds(20 + 30 * j as i64)),
                        answer: answer.map(str::to_string),
                    }
                })
                .collect();
            let outcome = *rng.pick(&Outcome::ALL);
            CallLine {
                started_at,
                ended_at: Some(started_at + chrono::Duration::seconds(60 + 30 * per_call as i64)),
                operator: Some(rng.pick(OPERATORS).to_string()),
                kind,
                potential_client: rng.chance(40),
                name: None,
                phone: Some(format!(
                    "+7 9{:02} {:03}-{:02}-{:02}",
                    rng.below(100),
                    rng.below(1000),
                    rng.below(100),
                    rng.below(100)
                )),
                company: rng.chance(60).then(|| rng.pick(COMPANIES).to_string()),
                topic: None,
                outcome: Some(outcome),
                manager: matches!(outcome, Outcome::Transferred | Outcome::Callback)
                    .then(|| rng.pick(MANAGERS).to_string()),
                callback_due: None,
                notes: None,
                questions,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Queries the operator types
// ---------------------------------------------------------------------------------------------

/// (kind, query): a trailing space means the last word is finished.
const QUERIES: &[(&str, &str)] = &[
    // one or two words
    ("short", "заправка картриджа "),
    ("short", "доставка "),
    ("short", "гарантия "),
    ("short", "антивирус "),
    ("short", "счёт "),
    ("short", "договор "),
    ("short", "вайфай "),
    ("short", "инженер "),
    ("short", "пароль "),
    ("short", "сколько стоит "),
    ("short", "не работает "),
    ("short", "срочно "),
    // other word forms
    ("forms", "заправки картриджей "),
    ("forms", "принтеры "),
    ("forms", "доставку "),
    ("forms", "гарантии "),
    ("forms", "договора "),
    ("forms", "серверов "),
    ("forms", "ноутбуков "),
    ("forms", "ремонта "),
    // typos
    ("typo", "заправка картрижда "),
    ("typo", "гарнатия "),
    ("typo", "дотсавка "),
    ("typo", "админстрирование "),
    ("typo", "принетр не печатет "),
    ("typo", "растаргнуть договор "),
    // Latin and wrong keyboard layout
    ("latin", "canon 2100"),
    ("latin", "wifi"),
    ("latin", "outlook"),
    ("latin", "hp 1020"),
    ("layout", "ghbynth yt gtxfnftn"),
    ("layout", "pfghfdrf"),
    // what callers say, as the operator types it
    ("caller", "сколько стоит заправка картриджа"),
    ("caller", "принтер не печатает"),
    ("caller", "когда приедет инженер"),
    ("caller", "нужен счет с ндс"),
    ("caller", "можно ли оплатить картой"),
    ("caller", "до скольки вы работаете"),
    ("caller", "сколько стоит обслуживание компьютеров в месяц"),
    ("caller", "сломался принтер куда везти"),
    ("caller", "не работает интернет во всем офисе"),
    ("caller", "забыл пароль от личного кабинета"),
    ("caller", "хотим расторгнуть договор на обслуживание"),
    ("caller", "доставка в подмосковье сколько стоит"),
    ("caller", "нужен акт за прошлый месяц"),
    ("caller", "упал сервер ночью"),
    ("caller", "есть ли скидки для новых клиентов"),
    ("caller", "работаете в субботу"),
    ("caller", "как к вам проехать"),
    ("caller", "отсрочка платежа на две недели"),
    ("caller", "купить лицензию 1с"),
    ("caller", "письма не уходят"),
    ("caller", "поймали вирус шифровальщик"),
    ("caller", "гарантия на ноутбук"),
    ("caller", "сколько стоит доставка и когда привезете"),
    ("caller", "можно поговорить с менеджером"),
    (
        "caller",
        "здравствуйте, подскажите, сколько стоит выезд инженера в химки",
    ),
    ("caller", "мы из ромашки, у нас принтер жует бумагу"),
    ("caller", "вы продаете кофемашины"),
    ("caller", "когда будет готов мой ноутбук из ремонта"),
];

/// Every prefix of a query as the live page sends it, letter by letter, then the query itself.
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

fn kind_for(i: usize) -> CallKind {
    if i % 2 == 0 {
        CallKind::Primary
    } else {
        CallKind::Secondary
    }
}

// ---------------------------------------------------------------------------------------------
// Measurement helpers
// ---------------------------------------------------------------------------------------------

/// Total size of the files under `path`.
fn disk_size(path: &Path) -> u64 {
    let Ok(meta) = std::fs::metadata(path) else {
        return 0;
    };
    if meta.is_file() {
        return meta.len();
    }
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| disk_size(&e.path()))
                .sum()
        })
        .unwrap_or(0)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// `write` of 4 KiB and `fdatasync`, as a commit in WAL mode with `synchronous=FULL` does once.
fn fsync_probe(dir: &Path, n: usize) -> Vec<Duration> {
    let path = dir.join("fsync-probe");
    let mut file = std::fs::File::create(&path).expect("probe file");
    let block = [7u8; 4096];
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        file.seek(SeekFrom::Start(((i % 64) * 4096) as u64))
            .unwrap();
        file.write_all(&block).unwrap();
        file.sync_data().unwrap();
        out.push(t.elapsed());
    }
    drop(file);
    let _ = std::fs::remove_file(path);
    out
}

// ---------------------------------------------------------------------------------------------
// The server as a child process
// ---------------------------------------------------------------------------------------------

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .build(),
    )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A machine token with the operator role, made with `callfaq token create` on the data folder
/// (the API needs `Authorization: Bearer`); returns the secret.
fn operator_token(data: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_callfaq"))
        .args(["token", "create", "--name"])
        .arg(format!("bench-{}", std::process::id()))
        .args(["--role", "operator", "--data"])
        .arg(data)
        .output()
        .expect("running callfaq token create");
    assert!(
        out.status.success(),
        "callfaq token create failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .expect("the token on the last line")
        .trim()
        .to_string()
}

/// `callfaq serve` started by this benchmark; killed (by its own pid) when dropped.
struct Server {
    child: Child,
    base: String,
    /// `Bearer …` of an operator token.
    auth: String,
    log: PathBuf,
    /// From spawn to the first `200` of `GET /healthz`.
    ready_after: Duration,
}

impl Server {
    fn start(data: &Path, knowledge: &Path, log: &Path, token: &str) -> Server {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let log_file = std::fs::File::create(log).expect("server log file");
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_callfaq"))
            .arg("serve")
            .arg("--bind")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data")
            .arg(data)
            .arg("--knowledge")
            .arg(knowledge)
            .env("RUST_LOG", "callfaq=info,warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .expect("starting callfaq serve");
        let probe = agent(Duration::from_secs(2));
        let healthz = format!("{base}/healthz");
        let ready_after = loop {
            if let Ok(r) = probe.get(&healthz).call() {
                if r.status() == 200 {
                    break started.elapsed();
                }
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "the server exited ({status}) before answering:\n{}",
                    std::fs::read_to_string(log).unwrap_or_default()
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(300),
                "the server did not answer /healthz within 5 minutes"
            );
            std::thread::sleep(Duration::from_millis(2));
        };
        Server {
            child,
            base,
            auth: format!("Bearer {token}"),
            log: log.to_path_buf(),
            ready_after,
        }
    }

    fn pid(&self) -> String {
        self.child.id().to_string()
    }

    fn memory(&self) -> String {
        format!(
            "VmRSS {} (anon {}, file {}), VmHWM {}, threads {}",
            status_field(&self.pid(), "VmRSS:"),
            status_field(&self.pid(), "RssAnon:"),
            status_field(&self.pid(), "RssFile:"),
            status_field(&self.pid(), "VmHWM:"),
            status_field(&self.pid(), "Threads:")
        )
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// Phase 1: questions logged over HTTP
// ---------------------------------------------------------------------------------------------

/// Questions one call takes before the client opens the next (the API allows 500).
const QUESTIONS_PER_CALL: usize = 100;

struct Logged {
    acknowledged: usize,
    other: BTreeMap<String, usize>,
    calls: usize,
    latencies: Vec<Duration>,
}

fn post(agent: &ureq::Agent, auth: &str, url: &str, body: &Value) -> (String, Option<Value>) {
    match agent
        .post(url)
        .header("authorization", auth)
        .send_json(body)
    {
        Ok(mut r) => {
            let status = r.status().as_u16();
            if status == 201 {
                (status.to_string(), r.body_mut().read_json::<Value>().ok())
            } else {
                (status.to_string(), None)
            }
        }
        Err(e) => (format!("error: {e}"), None),
    }
}

/// One client: opens a call, logs questions on it, a new call every [`QUESTIONS_PER_CALL`].
fn client(base: &str, auth: &str, seed: u64, max: usize, until: Instant, linked: bool) -> Logged {
    let agent = agent(Duration::from_secs(30));
    let mut rng = Rng::new(seed);
    let mut out = Logged {
        acknowledged: 0,
        other: BTreeMap::new(),
        calls: 0,
        latencies: Vec::with_capacity(max),
    };
    let mut call_url = String::new();
    let mut on_call = QUESTIONS_PER_CALL;
    let mut sent = 0;
    while sent < max && Instant::now() < until {
        if on_call == QUESTIONS_PER_CALL {
            let body = json!({
                "kind": if rng.chance(50) { "primary" } else { "secondary" },
                "phone": format!("+7 495 {:03}-{:02}-{:02}", rng.below(1000), rng.below(100), rng.below(100)),
                "operator": "Анна",
            });
            let (status, call) = post(&agent, auth, &format!("{base}/api/calls"), &body);
            let Some(id) = call.as_ref().and_then(|c| c["id"].as_i64()) else {
                *out.other.entry(format!("call {status}")).or_default() += 1;
                std::thread::sleep(Duration::from_millis(10));
                continue;
            };
            out.calls += 1;
            call_url = format!("{base}/api/calls/{id}/questions");
            on_call = 0;
        }
        let (text, answer) = loop {
            let (text, answer) = caller_question(&mut rng);
            if !linked || answer.is_some() {
                break (text, answer);
            }
        };
        let body = if linked {
            json!({ "text": text, "answer": answer })
        } else {
            json!({ "text": text })
        };
        let t = Instant::now();
        let (status, _) = post(&agent, auth, &call_url, &body);
        let took = t.elapsed();
        sent += 1;
        on_call += 1;
        if status == "201" {
            out.acknowledged += 1;
            out.latencies.push(took);
        } else {
            *out.other.entry(status).or_default() += 1;
        }
    }
    out
}

fn logging_scenario(server: &Server, clients: usize, linked: bool, max: usize, limit: Duration) {
    let barrier = Arc::new(Barrier::new(clients + 1));
    let per_client = max.div_ceil(clients);
    let handles: Vec<_> = (0..clients)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            let base = server.base.clone();
            let auth = server.auth.clone();
            std::thread::spawn(move || {
                barrier.wait();
                let until = Instant::now() + limit;
                client(
                    &base,
                    &auth,
                    0xCA11_0000 + i as u64 * 7919 + linked as u64,
                    per_client,
                    until,
                    linked,
                )
            })
        })
        .collect();
    barrier.wait();
    let started = Instant::now();
    let results: Vec<Logged> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let elapsed = started.elapsed();
    let acknowledged: usize = results.iter().map(|r| r.acknowledged).sum();
    let calls: usize = results.iter().map(|r| r.calls).sum();
    let mut other: BTreeMap<String, usize> = BTreeMap::new();
    for r in &results {
        for (k, v) in &r.other {
            *other.entry(k.clone()).or_default() += v;
        }
    }
    let latencies: Vec<Duration> = results.iter().flat_map(|r| r.latencies.clone()).collect();
    let label = format!(
        "{} client{}, {}",
        clients,
        if clients == 1 { "" } else { "s" },
        if linked { "with answer" } else { "no answer" }
    );
    println!(
        "{label:<26} {:.0} questions/s acknowledged ({} × 201 in {:.1} s; {} calls opened; not 201: {:?})",
        acknowledged as f64 / elapsed.as_secs_f64(),
        acknowledged,
        elapsed.as_secs_f64(),
        calls,
        other
    );
    println!("{}", summary("  POST latency", &latencies));
    println!("  server: {}", server.memory());
}

fn phase_http(tmp: &Path, knowledge: &Path, full: bool) {
    println!("\n== questions logged over HTTP (release server, loopback) ==");
    let data = tmp.join("http-data");
    std::fs::create_dir_all(&data).unwrap();
    let probe = fsync_probe(&data, if full { 300 } else { 20 });
    println!("{}", summary("disk: 4 KiB write+fdatasync", &probe));
    let token = operator_token(&data);
    let server = Server::start(&data, knowledge, &tmp.join("http-server.log"), &token);
    println!(
        "server pid {} on {}, ready after {:.0} ms",
        server.pid(),
        server.base,
        ms(server.ready_after)
    );
    let max = if full {
        env_usize("BENCH_HTTP_MAX", 3000)
    } else {
        20
    };
    let limit = Duration::from_secs(if full {
        env_usize("BENCH_HTTP_SECONDS", 15) as u64
    } else {
        2
    });
    println!(
        "each scenario: at most {max} questions or {} s, {QUESTIONS_PER_CALL} questions per call",
        limit.as_secs()
    );
    for clients in [1, 4] {
        for linked in [false, true] {
            logging_scenario(&server, clients, linked, max, limit);
        }
    }
    // Let the indexer catch up, then look at what it left.
    std::thread::sleep(Duration::from_secs(1));
    println!(
        "server after logging: {}; database + WAL {:.1} MiB",
        server.memory(),
        mib(disk_size(&data.join(callfaq::store::FILE_NAME))
            + disk_size(&data.join(format!("{}-wal", callfaq::store::FILE_NAME))))
    );
    let log = server.log();
    let errors: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("ERROR") || l.contains("WARN"))
        .collect();
    if !errors.is_empty() {
        println!("server log warnings/errors: {errors:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Phase 2: search with a million caller questions
// ---------------------------------------------------------------------------------------------

/// Builds the data folder: generated calls through `Store::import`, then `questions::rebuild`.
fn build_data(data: &Path, questions_total: usize, per_call: usize) {
    let calls_total = questions_total.div_ceil(per_call);
    let chunk = 10_000.min(calls_total);
    let store = Store::open(data).expect("store");
    let mut rng = Rng::new(0x00C0_FFEE_2026_1128);
    let mut generating = Duration::ZERO;
    let mut importing = Duration::ZERO;
    let mut linked = 0usize;
    let mut chars = 0usize;
    let mut first = 0;
    let mut sample = Vec::new();
    while first < calls_total {
        let count = chunk.min(calls_total - first);
        let t = Instant::now();
        let calls = generate_calls(&mut rng, first, count, per_call);
        generating += t.elapsed();
        for c in &calls {
            for q in &c.questions {
                linked += q.answer.is_some() as usize;
                chars += q.text.chars().count();
                if sample.len() < 12 {
                    sample.push(format!(
                        "{:?} → {}",
                        q.text,
                        q.answer.as_deref().unwrap_or("-")
                    ));
                }
            }
        }
        let t = Instant::now();
        store.import(&calls, Utc::now()).expect("import");
        importing += t.elapsed();
        first += count;
    }
    let total = calls_total * per_call;
    println!(
        "generated {calls_total} calls × {per_call} = {total} questions ({:.0}% linked, mean {:.0} characters) in {:.1} s",
        100.0 * linked as f64 / total as f64,
        chars as f64 / total as f64,
        generating.as_secs_f64()
    );
    println!("sample: {}", sample.join("; "));
    println!(
        "Store::import {:.1} s ({} transactions of {chunk} calls; {:.0} questions/s); database + WAL {:.0} MiB",
        importing.as_secs_f64(),
        calls_total.div_ceil(chunk),
        total as f64 / importing.as_secs_f64(),
        mib(disk_size(&data.join(callfaq::store::FILE_NAME))
            + disk_size(&data.join(format!("{}-wal", callfaq::store::FILE_NAME))))
    );
    let t = Instant::now();
    let (index, fresh) =
        QuestionIndex::open_or_create(&questions::index_dir(data)).expect("question index");
    assert!(fresh, "a new data folder has an empty index");
    let indexed = questions::rebuild(&index, &store).expect("rebuild");
    let took = t.elapsed();
    drop(index);
    println!(
        "questions::rebuild {:.1} s ({indexed} questions, {:.0}/s); index on disk {:.0} MiB",
        took.as_secs_f64(),
        indexed as f64 / took.as_secs_f64(),
        mib(disk_size(&questions::index_dir(data)))
    );
}

fn segments(data: &Path) -> usize {
    tantivy::Index::open_in_dir(questions::index_dir(data))
        .and_then(|i| i.searchable_segment_metas())
        .map(|s| s.len())
        .unwrap_or(0)
}

/// `Library::search` in parts, as it does them: parse, answer ranking (50 candidates),
/// caller-question evidence, merge + snippets for the hits.
fn search_parts(
    library: &Library,
    index: &QuestionIndex,
    q: &str,
    kind: CallKind,
) -> [Duration; 4] {
    let t0 = Instant::now();
    let plan = QueryPlan::parse(q);
    if plan.is_empty() {
        return [t0.elapsed(), Duration::ZERO, Duration::ZERO, Duration::ZERO];
    }
    let t1 = Instant::now();
    let ranked = library.index.ranked(&plan, 50).expect("ranked");
    let t2 = Instant::now();
    let evidence = index.evidence(&plan).expect("evidence");
    let t3 = Instant::now();
    let scale = ranked.first().map_or(1.0, |(_, s)| s.max(1.0));
    let mut scored: HashMap<String, (Arc<callfaq::knowledge::Answer>, f32)> = ranked
        .iter()
        .map(|(a, s)| (a.slug.clone(), (Arc::clone(a), *s)))
        .collect();
    for (slug, w) in &evidence {
        if let Some(a) = library.knowledge.get(slug) {
            scored
                .entry(slug.clone())
                .or_insert_with(|| (Arc::clone(a), 0.0))
                .1 += w * scale;
        }
    }
    let mut all: Vec<_> = scored.into_values().collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1));
    all.truncate(10);
    let hits: Vec<_> = all.iter().map(|(a, s)| hit(&plan, a, *s)).collect();
    std::hint::black_box((hits, kind));
    let t4 = Instant::now();
    [t1 - t0, t2 - t1, t3 - t2, t4 - t3]
}

fn phase_search(data: &Path, knowledge: &Path, full: bool) {
    println!("\n== search with the caller-question index ==");
    let library = Library::load(knowledge, None).expect("knowledge");
    let t = Instant::now();
    let (index, fresh) =
        QuestionIndex::open_or_create(&questions::index_dir(data)).expect("question index");
    assert!(!fresh, "the question index was built above");
    println!(
        "answers {}; question index opened in {:.0} ms: {} questions, {} segments",
        library.knowledge.len(),
        ms(t.elapsed()),
        index.len(),
        segments(data)
    );
    let rounds = if full {
        env_usize("BENCH_ROUNDS", 10)
    } else {
        1
    };
    let typed_rounds = rounds.div_ceil(4);
    let search = |q: &str, i: usize, with_questions: bool| -> (Duration, usize) {
        let options = SearchOptions {
            limit: 10,
            kind: Some(kind_for(i)),
        };
        let t = Instant::now();
        let hits = library
            .search(q, &options, with_questions.then_some(&index))
            .expect("search");
        (t.elapsed(), std::hint::black_box(hits).len())
    };

    // Warm-up: every input once, not measured.
    for (i, (_, q)) in QUERIES.iter().enumerate() {
        for p in as_typed(q) {
            search(&p, i, true);
        }
    }

    let mut overall = Vec::new();
    let mut by_kind: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut without = Vec::new();
    let mut worst: BTreeMap<String, Duration> = BTreeMap::new();
    let mut empty = Vec::new();
    for round in 0..rounds {
        for (i, (kind, q)) in QUERIES.iter().enumerate() {
            let (d, n) = search(q, i, true);
            overall.push(d);
            by_kind.entry(kind).or_default().push(d);
            if round == 0 && n == 0 {
                empty.push(*q);
            }
            let w = worst.entry(q.to_string()).or_default();
            *w = (*w).max(d);
            without.push(search(q, i, false).0);
        }
    }
    let mut typed = Vec::new();
    let mut typed_without = Vec::new();
    for _ in 0..typed_rounds {
        for (i, (_, q)) in QUERIES.iter().enumerate() {
            for p in as_typed(q) {
                let (d, _) = search(&p, i, true);
                typed.push(d);
                let w = worst.entry(p.clone()).or_default();
                *w = (*w).max(d);
                typed_without.push(search(&p, i, false).0);
            }
        }
    }
    let mut parts: [Vec<Duration>; 4] = Default::default();
    // The same, for the inputs of the long "caller" queries only: the slowest ones.
    let mut caller_parts: [Vec<Duration>; 4] = Default::default();
    let mut worst_evidence: BTreeMap<String, Duration> = BTreeMap::new();
    for _ in 0..typed_rounds {
        for (i, (kind, q)) in QUERIES.iter().enumerate() {
            for p in as_typed(q) {
                let timed = search_parts(&library, &index, &p, kind_for(i));
                for (k, d) in timed.into_iter().enumerate() {
                    parts[k].push(d);
                    if *kind == "caller" {
                        caller_parts[k].push(d);
                    }
                }
                let w = worst_evidence.entry(p).or_default();
                *w = (*w).max(timed[2]);
            }
        }
    }
    println!(
        "queries {} ({} as-you-type inputs), {rounds} rounds of the queries, {typed_rounds} of the inputs; limit 10, kind alternating, single thread",
        QUERIES.len(),
        typed.len() / typed_rounds.max(1)
    );
    println!("{}", summary("search", &overall));
    println!("{}", summary("as-you-type", &typed));
    for (kind, samples) in &by_kind {
        println!("{}", summary(&format!("  {kind}"), samples));
    }
    println!("{}", summary("search, no question index", &without));
    println!("{}", summary("as-you-type, no q. index", &typed_without));
    println!("{}", summary("part: parse", &parts[0]));
    println!("{}", summary("part: answer ranking (50)", &parts[1]));
    println!("{}", summary("part: evidence", &parts[2]));
    println!("{}", summary("part: merge + snippets", &parts[3]));
    println!("{}", summary("  caller: answer ranking", &caller_parts[1]));
    println!("{}", summary("  caller: evidence", &caller_parts[2]));
    println!(
        "{}",
        summary("  caller: merge + snippets", &caller_parts[3])
    );
    let mut slowest: Vec<_> = worst.into_iter().collect();
    slowest.sort_by_key(|(_, d)| std::cmp::Reverse(*d));
    let slowest: Vec<String> = slowest
        .iter()
        .take(6)
        .map(|(q, d)| format!("{q:?} {:.2}", ms(*d)))
        .collect();
    println!("slowest (max ms): {}", slowest.join(", "));
    let mut slowest: Vec<_> = worst_evidence.into_iter().collect();
    slowest.sort_by_key(|(_, d)| std::cmp::Reverse(*d));
    let slowest: Vec<String> = slowest
        .iter()
        .take(6)
        .map(|(q, d)| format!("{q:?} {:.2}", ms(*d)))
        .collect();
    println!("slowest evidence (max ms): {}", slowest.join(", "));
    if !empty.is_empty() {
        println!("queries without hits: {empty:?}");
    }
    println!(
        "benchmark process: VmHWM {}, VmRSS {}",
        status_field("self", "VmHWM:"),
        status_field("self", "VmRSS:")
    );
}

// ---------------------------------------------------------------------------------------------
// Phase 3: server start-up and memory on that data folder
// ---------------------------------------------------------------------------------------------

/// Evicts the files of `dir` from the page cache (`dd iflag=nocache count=0` asks the kernel to
/// drop a file's cached pages, `POSIX_FADV_DONTNEED`), so that a start reads them from disk.
/// Touches only these files, not the machine's whole cache. A virtual disk may still be cached
/// by the host.
fn drop_page_cache(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut ok = true;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            ok &= drop_page_cache(&path);
        } else {
            ok &= Command::new("dd")
                .arg(format!("if={}", path.display()))
                .args(["iflag=nocache", "count=0", "status=none"])
                .status()
                .is_ok_and(|s| s.success());
        }
    }
    ok
}

fn phase_startup(tmp: &Path, data: &Path, knowledge: &Path, full: bool) {
    println!("\n== server start-up on the data folder ==");
    // Start 0 is the folder's first start: it also creates the `admin` account (a password
    // hash), which later starts do not do. Start 1 reads the folder from disk, 2 and 3 from
    // the page cache.
    let starts = if full { 3 } else { 1 };
    let token = operator_token(data);
    let mut last = None;
    for n in 0..=starts {
        drop(last.take());
        // The first start reads the data folder from disk, not from the page cache.
        let cache = match n {
            0 => "first start of the folder, creates the admin account",
            1 if drop_page_cache(data) => "data folder evicted from the page cache",
            1 => "page cache NOT evicted (dd failed)",
            _ => "warm page cache",
        };
        let server = Server::start(
            data,
            knowledge,
            &tmp.join(format!("startup-{n}.log")),
            &token,
        );
        let memory = server.memory();
        // The first search after start: it waits for whatever holds the store at start-up
        // (the retention sweep erases personal data of old calls under the store's lock).
        let t = Instant::now();
        let first = agent(Duration::from_secs(60))
            .get(format!("{}/api/search", server.base))
            .query("q", "сколько стоит заправка")
            .header("authorization", &server.auth)
            .call()
            .map(|r| r.status().as_u16())
            .unwrap_or(0);
        let first = format!("{first} in {:.0} ms", ms(t.elapsed()));
        let log = server.log();
        let startup_ms = log
            .split("startup_ms=")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or("?")
            .to_string();
        let questions = log
            .split("questions=")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or("?")
            .to_string();
        let rebuilt = log
            .lines()
            .filter(|l| l.to_lowercase().contains("rebuil"))
            .collect::<Vec<_>>();
        let erased = log
            .split("erased callers' personal data")
            .nth(1)
            .and_then(|s| s.split("calls=").nth(1))
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or("0")
            .to_string();
        println!(
            "start {n} ({cache}): spawn → /healthz 200 in {:.0} ms (log: startup_ms={startup_ms}, questions={questions}); rebuild in log: {}; first search {first} (retention erased {erased} calls); after start {memory}",
            ms(server.ready_after),
            if rebuilt.is_empty() { "none".to_string() } else { format!("{rebuilt:?}") }
        );
        last = Some(server);
    }
    let server = last.expect("a server");
    // The queries and their as-you-type inputs through the HTTP API.
    let agent = agent(Duration::from_secs(30));
    let url = format!("{}/api/search", server.base);
    let mut client_side = Vec::new();
    let mut server_side = Vec::new();
    let mut not_ok = 0;
    let mut slowest = (Duration::ZERO, 0, String::new());
    for (i, (_, q)) in QUERIES.iter().enumerate() {
        for p in as_typed(q) {
            let t = Instant::now();
            let response = agent
                .get(&url)
                .query("q", &p)
                .query("limit", "10")
                .query("kind", kind_for(i).as_str())
                .header("authorization", &server.auth)
                .call();
            let took = t.elapsed();
            if took > slowest.0 {
                slowest = (took, client_side.len() + not_ok + 1, p.clone());
            }
            match response {
                Ok(mut r) if r.status() == 200 => {
                    client_side.push(took);
                    if let Some(ms) = r
                        .body_mut()
                        .read_json::<Value>()
                        .ok()
                        .and_then(|v| v["took_ms"].as_f64())
                    {
                        server_side.push(Duration::from_secs_f64(ms / 1000.0));
                    }
                }
                _ => not_ok += 1,
            }
        }
    }
    println!(
        "GET /api/search, every query as typed ({} requests, {not_ok} not 200):",
        client_side.len() + not_ok
    );
    println!("{}", summary("  client-side", &client_side));
    println!("{}", summary("  server took_ms", &server_side));
    println!(
        "  slowest request: #{} {:?} {:.1} ms (client-side)",
        slowest.1,
        slowest.2,
        ms(slowest.0)
    );
    println!("after the searches: {}", server.memory());
}

// ---------------------------------------------------------------------------------------------

fn main() {
    // `cargo bench` passes `--bench`; anything else (cargo test --benches) gets a smoke run.
    let full = std::env::args().any(|a| a == "--bench");
    let total = if full {
        env_usize("BENCH_QUESTIONS", 1_000_000)
    } else {
        2_000
    };
    let phases = std::env::var("BENCH_PHASES").unwrap_or_else(|_| "http,search,startup".into());
    let knowledge = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let started = Instant::now();

    println!(
        "callfaq call-desk benchmark{}",
        if full { "" } else { " (smoke run)" }
    );
    println!(
        "machine: nproc {}, cpu {}; binary {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        cpu_model(),
        env!("CARGO_BIN_EXE_callfaq")
    );

    // Every slug the generator links to must be a shipped answer.
    let library = Library::load(&knowledge, None).expect("knowledge");
    for t in CALLER_TOPICS {
        assert!(
            library.knowledge.get(t.slug).is_some(),
            "the generator links to {}, which knowledge/ does not have",
            t.slug
        );
    }
    drop(library);

    let tmp = tempfile::Builder::new()
        .prefix("callfaq-bench-")
        .tempdir()
        .expect("temporary folder");
    println!("temporary folder {}", tmp.path().display());

    if phases.contains("http") {
        phase_http(tmp.path(), &knowledge, full);
    }

    if phases.contains("search") || phases.contains("startup") {
        let (data, reuse) = match std::env::var_os("BENCH_DATA") {
            Some(dir) => (PathBuf::from(dir), true),
            None => (tmp.path().join("million"), false),
        };
        println!("\n== {total} caller questions in {} ==", data.display());
        let existing = reuse && data.join(callfaq::store::FILE_NAME).is_file();
        if existing {
            println!("reusing the data folder (BENCH_DATA)");
        } else {
            build_data(&data, total, 10);
        }
        if phases.contains("search") {
            phase_search(&data, &knowledge, full);
        }
        if phases.contains("startup") {
            phase_startup(tmp.path(), &data, &knowledge, full);
        }
    }

    drop(tmp);
    println!(
        "\ntotal {:.0} s; temporary folder removed",
        started.elapsed().as_secs_f64()
    );
}
