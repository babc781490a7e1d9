//! The grouping's own tests: placing, tidying, pinning, meaning.

use super::centre::Compact;
use super::*;
use crate::numeric::dot;

fn grouped(texts: &[&str]) -> Vec<GroupId> {
    let mut g = Grouper::new(Params::default());
    for (i, t) in texts.iter().enumerate() {
        g.place(i as QuestionId, t, None);
    }
    g.refine();
    (0..texts.len() as QuestionId)
        .map(|q| g.group_of(q).unwrap())
        .collect()
}

#[test]
fn a_title_is_proposed_from_a_phrasing() {
    assert_eq!(
        proposed_title("можно ли оплатить картой"),
        "Можно ли оплатить картой?"
    );
    assert_eq!(
        proposed_title("Когда приедет инженер?"),
        "Когда приедет инженер?"
    );
    // A question mark only where the phrasing asks one: a subject named stays a subject.
    assert_eq!(
        proposed_title("утилизация старых компьютеров"),
        "Утилизация старых компьютеров"
    );
    for asked in [
        "сдаёте сервер в аренду",
        "а у вас есть доставка",
        "есть облачный хостинг",
        "do you repair laptops",
        "price of a laptop, how much",
    ] {
        assert!(proposed_title(asked).ends_with('?'), "{asked}");
    }
    assert!(!proposed_title("laptop repair prices").ends_with('?'));
    // A pasted page proposes its beginning, cut at a word.
    let long = proposed_title(&"слово ".repeat(100));
    assert!(long.starts_with("Слово слово"), "{long}");
    assert!(long.ends_with("слово…"), "{long}");
    assert!(long.chars().count() <= super::PROPOSED_TITLE_CHARS + 1);
}

#[test]
fn a_groups_title_asks_when_most_of_its_callers_typed_a_question_mark() {
    let group = |wordings: &[(&str, usize)]| TypicalQuestion {
        id: 1,
        state: GroupState::Open,
        title: "Иван Петрович на месте".into(),
        count: wordings.iter().map(|(_, n)| n).sum(),
        primary: 0,
        secondary: 0,
        recent: 0,
        first_asked: chrono::DateTime::UNIX_EPOCH,
        last_asked: chrono::DateTime::UNIX_EPOCH,
        questions: Vec::new(),
        wordings: wordings.iter().map(|(w, n)| (w.to_string(), *n)).collect(),
        answer: None,
    };
    let asked = group(&[
        ("иван петрович на месте", 1),
        ("Иван Петрович на месте?", 9),
    ]);
    assert_eq!(asked.proposed_title(), "Иван Петрович на месте?");
    let named = group(&[
        ("иван петрович на месте", 5),
        ("Иван Петрович на месте?", 1),
    ]);
    assert_eq!(named.proposed_title(), "Иван Петрович на месте");
}

#[test]
fn the_phrasing_that_stands_for_a_group_can_be_chosen_among_those_that_fit() {
    let mut g = Grouper::new(Params::default());
    let texts = [
        "сколько стоит заправка картриджа",
        "заправка картриджа цена",
        "почём заправка картриджа",
    ];
    for (i, t) in texts.iter().enumerate() {
        g.place(i as QuestionId, t, None);
    }
    let group = g.group_of(0).unwrap();
    assert!((0..3).all(|q| g.group_of(q) == Some(group)));
    let central = g.central(group).unwrap();
    let other = g.central_where(group, |q| q != central).unwrap();
    assert_ne!(other, central);
    assert_eq!(g.group_of(other), Some(group));
    assert_eq!(g.central_where(group, |_| false), None);
}

#[test]
fn questions_that_mean_the_same_share_a_group_and_others_do_not() {
    let groups = grouped(&[
        "сколько стоит заправка картриджа",
        "почём заправить картридж",
        "заправка картриджа цена",
        "инженер может приехать завтра",
        "когда приедет инженер",
        "инженер приедет в офис",
    ]);
    assert_eq!(groups[0], groups[1]);
    assert_eq!(groups[0], groups[2]);
    assert_eq!(groups[3], groups[4]);
    assert_eq!(groups[3], groups[5]);
    assert_ne!(groups[0], groups[3]);
}

#[test]
fn new_groups_are_reported_and_renamed_when_stored() {
    let mut g = Grouper::new(Params::default());
    let temporary = g.place(1, "счёт на оплату", None);
    assert!(temporary < 0);
    let changes = g.drain_changes();
    assert_eq!(
        changes,
        [
            Change::Created(temporary),
            Change::Placed {
                question: 1,
                group: temporary
            }
        ]
    );
    g.rename(temporary, 40);
    assert_eq!(g.place(2, "пришлите счёт на оплату", None), 40);
}

#[test]
fn a_removed_question_leaves_its_group_and_an_empty_group_goes() {
    let mut g = Grouper::new(Params::default());
    let a = g.place(1, "ремонт ноутбука", None);
    g.remove(1);
    assert_eq!(g.group_count(), 0);
    assert!(g.drain_changes().contains(&Change::Emptied(a)));
}

#[test]
fn pinned_questions_stay_where_an_editor_put_them() {
    let mut g = Grouper::new(Params::default());
    g.restore(1, 7, "где мой счёт", true, None);
    g.restore(2, 8, "где мой счёт за октябрь", false, None);
    g.refine();
    assert_eq!(g.group_of(1), Some(7));
    assert_eq!(g.group_of(2), Some(7), "the unpinned one joins its kin");
}

#[test]
fn a_lone_question_is_absorbed_once_its_kin_have_come() {
    let params = Params {
        absorb_after: 3,
        join: 0.9,
        ..Params::default()
    };
    let mut g = Grouper::new(params);
    g.place(1, "перезвоните пожалуйста менеджеру", None);
    g.place(2, "менеджер перезвонит мне", None);
    for i in 3..7 {
        g.place(i, &format!("совсем другое слово{i}"), None);
    }
    assert_eq!(g.group_of(1), g.group_of(2));
}

fn axis(i: usize) -> Vec<f32> {
    let mut v = vec![0.0; 8];
    v[i] = 1.0;
    v
}

#[test]
fn meaning_joins_questions_without_a_shared_word_and_leaves_with_them() {
    let mut g = Grouper::new(Params::with_meaning());
    g.place(1, "alpha", Some(&axis(0)));
    g.place(2, "beta", Some(&axis(1)));
    g.place(3, "gamma", Some(&axis(0)));
    assert_eq!(g.group_of(1), g.group_of(3), "the same meaning");
    assert_ne!(g.group_of(1), g.group_of(2));
    let group = g.group_of(1).unwrap();
    g.remove(3);
    assert_eq!(g.groups[&group].meant, 1);
    let left = Compact::of(&axis(0)).expand();
    assert!(g.groups[&group]
        .meaning
        .iter()
        .zip(&left)
        .all(|(a, b)| (a - b).abs() < 1e-6));
    // Without meaning in the settings, vectors are not kept and words alone decide.
    let mut words = Grouper::new(Params::default());
    words.place(1, "alpha", Some(&axis(0)));
    words.place(3, "gamma", Some(&axis(0)));
    assert_ne!(words.group_of(1), words.group_of(3));
    assert!(words.members[&1].meaning.is_none());
}

#[test]
fn a_compact_vector_keeps_its_cosines() {
    let v: Vec<f32> = (0..384).map(|i| ((i * 7919) % 101) as f32 - 50.0).collect();
    let norm = dot(&v, &v).sqrt();
    let v: Vec<f32> = v.iter().map(|x| x / norm).collect();
    let back = Compact::of(&v).expand();
    assert!(dot(&v, &back) > 0.9999);
}

#[test]
fn a_dismissed_group_takes_a_close_kin_only() {
    // A desk's day: the words every caller says («можно ли», «у вас») weigh little.
    let day = [
        "можно ли оплатить у вас картой",
        "можно ли у вас заказать доставку",
        "есть ли у вас скидки",
        "можно ли к вам приехать в субботу",
        "работаете ли вы в выходные",
        "можно ли у вас купить принтер",
    ];
    let start = |quiet: bool| {
        let mut g = Grouper::new(Params::default());
        for (i, t) in day.iter().enumerate() {
            g.place(100 + i as QuestionId, t, None);
        }
        let elephant = g.place(1, "можно ли купить у вас слона", None);
        if quiet {
            g.set_quiet([elephant]);
        }
        (g, elephant)
    };
    let loose = "можно ли арендовать у вас яхту";
    // Open, the group takes the loosely like question.
    let (mut open, elephant) = start(false);
    assert_eq!(open.place(2, loose, None), elephant);
    // Dismissed, it takes the close kin and leaves the other to a group of its own, which a
    // reassignment does not move in either.
    let (mut g, elephant) = start(true);
    assert_ne!(g.place(2, loose, None), elephant);
    assert_eq!(g.place(3, "а слона у вас можно купить", None), elephant);
    g.refine();
    assert_ne!(g.group_of(2), Some(elephant));
    assert_eq!(g.group_of(3), Some(elephant));
}
