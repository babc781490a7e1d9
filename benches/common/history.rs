//! A deterministic desk history: generated Russian caller questions about the shipped answers
//! (with typos, places, counts and off-topic chatter), calls to hold them, and the queries an
//! operator types. Shared by the benchmarks that need a history.
#![allow(dead_code)] // each benchmark uses a part

use super::Rng;
use callfaq::calls::transfer::{CallLine, QuestionLine};
use callfaq::calls::{CallKind, Outcome};
use chrono::{TimeZone, Utc};

/// How callers ask about one shipped answer. Slots: `{p}` printer, `{k}` cartridge, `{c}` place,
/// `{n}` a count, `{d}` a day or time, `{r}` a receipt number, `{m}` an amount.
pub struct CallerTopic {
    /// The answer asked about.
    pub slug: &'static str,
    /// Phrasings with slots.
    pub asks: &'static [&'static str],
}

/// Every shipped answer's phrasings.
pub const CALLER_TOPICS: &[CallerTopic] = &[
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
pub fn caller_question(rng: &mut Rng) -> (String, Option<&'static str>) {
    let asked = caller_question_on(rng, &mut |rng| rng.below(CALLER_TOPICS.len()));
    (asked.text, asked.linked)
}

/// A generated caller question: what was said, what it was about, what the operator linked.
pub struct Asked {
    /// The caller's words.
    pub text: String,
    /// The shipped answer it is about (`None`: something no answer covers).
    pub topic: Option<&'static str>,
    /// The answer the operator linked it to, if any.
    pub linked: Option<&'static str>,
}

/// A desk's history as operators link it: the topics skewed (the `k`-th most asked about in
/// proportion to `1 / (k + 1)`, the order fixed by a seeded shuffle), 60% of questions linked,
/// and one link in 60 to a wrong answer (a slip of the operator's hand).
pub struct Desk {
    /// Cumulative weights over the topics, in [`CALLER_TOPICS`] order.
    cumulative: Vec<f64>,
}

impl Desk {
    /// The skew with its order from `seed`.
    pub fn new(seed: u64) -> Desk {
        let mut order: Vec<usize> = (0..CALLER_TOPICS.len()).collect();
        let mut rng = Rng::new(seed);
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let mut weights = vec![0.0; CALLER_TOPICS.len()];
        for (rank, &topic) in order.iter().enumerate() {
            weights[topic] = 1.0 / (rank as f64 + 1.0);
        }
        let total: f64 = weights.iter().sum();
        let mut sum = 0.0;
        let cumulative = weights
            .iter()
            .map(|w| {
                sum += w / total;
                sum
            })
            .collect();
        Desk { cumulative }
    }

    /// One question of this desk.
    pub fn ask(&self, rng: &mut Rng) -> Asked {
        let cumulative = &self.cumulative;
        let mut asked = caller_question_on(rng, &mut |rng| {
            let x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
            cumulative
                .iter()
                .position(|&c| x < c)
                .unwrap_or(cumulative.len() - 1)
        });
        if asked.linked.is_some() && rng.below(60) == 0 {
            asked.linked = Some(rng.pick(CALLER_TOPICS).slug);
        }
        asked
    }
}

/// A caller question about the topic `pick` chooses (85% of the time; else off topic).
fn caller_question_on(rng: &mut Rng, pick: &mut dyn FnMut(&mut Rng) -> usize) -> Asked {
    let roll = rng.below(100);
    let (core, topic, answer) = if roll < 85 {
        let topic = &CALLER_TOPICS[pick(rng)];
        let template = *rng.pick(topic.asks);
        (
            fill(rng, template),
            Some(topic.slug),
            (roll < 60).then_some(topic.slug),
        )
    } else {
        let template = *rng.pick(OFF_TOPIC);
        (fill(rng, template), None, None)
    };
    let mut text = String::new();
    if rng.chance(8) {
        text.push_str("мы из ");
        text.push_str(rng.pick::<&str>(COMPANIES));
        text.push_str(", ");
    } else if rng.chance(35) {
        text.push_str(rng.pick::<&str>(OPENERS));
        text.push(' ');
    }
    text.push_str(&core);
    if rng.chance(20) {
        text.push_str(", ");
        text.push_str(rng.pick::<&str>(TAILS));
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
    Asked {
        text,
        topic,
        linked: answer,
    }
}

/// Calls `first .. first + count` of the generated history: one call about every ten minutes
/// over the two years before 2026-11-28, `per_call` questions each.
pub fn generate_calls(rng: &mut Rng, first: usize, count: usize, per_call: usize) -> Vec<CallLine> {
    generate_calls_with(
        rng,
        first,
        count,
        per_call,
        &mut |rng| caller_question(rng),
        &mut |rng| *rng.pick(&Outcome::ALL),
    )
}

/// [`generate_calls`] with the questions and the calls' outcomes of the given generators.
pub fn generate_calls_with(
    rng: &mut Rng,
    first: usize,
    count: usize,
    per_call: usize,
    question: &mut dyn FnMut(&mut Rng) -> (String, Option<&'static str>),
    outcome: &mut dyn FnMut(&mut Rng) -> Outcome,
) -> Vec<CallLine> {
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
                    let (text, answer) = question(rng);
                    QuestionLine {
                        text,
                        asked_at: Some(started_at + chrono::Duration::seconds(20 + 30 * j as i64)),
                        answer: answer.map(str::to_string),
                        declined: false,
                    }
                })
                .collect();
            let outcome = outcome(rng);
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
                contact_confirmed: true,
                company: rng.chance(60).then(|| rng.pick(COMPANIES).to_string()),
                topic: None,
                outcome: Some(outcome),
                manager: matches!(outcome, Outcome::Transferred | Outcome::Callback)
                    .then(|| rng.pick(MANAGERS).to_string()),
                callback_due: None,
                callback_done_at: None,
                notes: None,
                questions,
                callback: None,
                joined_callback: false,
                follow_up: false,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Queries the operator types
// ---------------------------------------------------------------------------------------------

/// (kind, query): a trailing space means the last word is finished.
pub const QUERIES: &[(&str, &str)] = &[
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
pub fn as_typed(q: &str) -> Vec<String> {
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

pub fn kind_for(i: usize) -> CallKind {
    if i.is_multiple_of(2) {
        CallKind::Primary
    } else {
        CallKind::Secondary
    }
}
