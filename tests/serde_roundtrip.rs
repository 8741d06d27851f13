//! Every model type of tertulia-core survives a JSON round trip unchanged, so whatever a
//! program stores (a draft, a cursor, a case, a brand) reads back as it was written.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tertulia::{
    Account, AccountId, AccountInfo, AccountMetrics, Action, ApprovalRule, Audience, AudienceStats, Author, BrandId,
    BusinessHours, CampaignId, Capabilities, Case, CaseEventKind, CaseId, CaseStatus, ClientMarker, ConversationId,
    Counter, Cursor, Handle, HourOfWeek, IdempotencyKey, Identity, Interaction, InteractionKind, InteractionQuery,
    MediaAttachment, MediaId, MediaKind, MediaRules, MediaSource, Member, MemberHistory, MemberId, OpenPeriod, Page,
    PlatformKind, Post, PostContent, PostId, PostMetrics, PostStatus, Priority, Publication, PublishLookup,
    PublishRequest, Quota, Relationship, RemoteId, RemotePost, RemoteRef, ReplyRequest, Role, SearchQuery, Segment,
    SegmentId, TextRules, ThreadPart, UploadedMedia, Variant, Visibility, Voice,
};
use url::Url;

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|error| panic!("{value:?} does not serialise: {error}"));
    let back: T = serde_json::from_str(&json).unwrap_or_else(|error| panic!("{json} does not read back: {error}"));
    assert_eq!(&back, value, "changed by the round trip through {json}");
    json
}

fn url(text: &str) -> Url {
    Url::parse(text).unwrap()
}

fn instant(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap()
}

// ---- strategies ------------------------------------------------------------------------

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![".{0,40}", "[a-zA-Z0-9 áéíóúñ¿?¡!@#☕🎉‍👩🏽]{0,40}"]
}

fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    // 1970 to 2100, with nanoseconds.
    (0i64..4_102_444_800, 0u32..1_000_000_000).prop_map(|(s, n)| DateTime::from_timestamp(s, n).unwrap())
}

fn any_url() -> impl Strategy<Value = Option<Url>> {
    proptest::option::of("[a-z0-9]{1,12}".prop_map(|path| url(&format!("https://social.example/@ana/{path}"))))
}

fn other_name(known: &'static [&'static str]) -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_-]{0,12}".prop_filter("a name not already known", move |name| !known.contains(&name.as_str()))
}

fn any_platform() -> impl Strategy<Value = PlatformKind> {
    const KNOWN: &[&str] = &[
        "mastodon",
        "bluesky",
        "x",
        "twitter",
        "facebook",
        "instagram",
        "threads",
        "linkedin",
        "reddit",
        "telegram",
        "discord",
        "youtube",
        "pinterest",
        "tiktok",
    ];
    prop_oneof![proptest::sample::select(PlatformKind::KNOWN.to_vec()), other_name(KNOWN).prop_map(PlatformKind::Other),]
}

fn any_kind() -> impl Strategy<Value = InteractionKind> {
    const KNOWN: &[&str] = &[
        "comment",
        "reply",
        "mention",
        "direct_message",
        "quote",
        "repost",
        "reaction",
        "review",
        "follow",
        "listening",
    ];
    prop_oneof![
        proptest::sample::select(InteractionKind::KNOWN.to_vec()),
        other_name(KNOWN).prop_map(InteractionKind::Other),
    ]
}

fn any_author() -> impl Strategy<Value = Author> {
    (
        any_text(),
        any_text(),
        proptest::option::of(any_text()),
        proptest::option::of(any::<u64>()),
        any::<bool>(),
        any_url(),
    )
        .prop_map(|(id, handle, display_name, followers, verified, url)| Author {
            id: RemoteId::new(id),
            handle: Handle::new(handle),
            display_name,
            followers,
            verified,
            url,
        })
}

prop_compose! {
    fn any_interaction()(
        id in any_text(),
        platform in any_platform(),
        account in proptest::option::of(any_text()),
        kind in any_kind(),
        author in any_author(),
        text in proptest::option::of(any_text()),
        language in proptest::option::of("[a-z]{2}(-[A-Z]{2})?"),
        created_at in any_instant(),
        subject in proptest::option::of(any_text()),
        in_reply_to in proptest::option::of(any_text()),
        conversation in proptest::option::of(any_text()),
        permalink in any_url(),
    ) -> Interaction {
        Interaction {
            id: RemoteId::new(id),
            platform,
            account: account.map(AccountId::new),
            kind,
            author,
            text,
            language,
            created_at,
            subject: subject.map(RemoteId::new),
            in_reply_to: in_reply_to.map(RemoteId::new),
            conversation: conversation.map(ConversationId::new),
            permalink,
        }
    }
}

prop_compose! {
    fn any_post_metrics()(
        figures in proptest::collection::vec(proptest::option::of(any::<u64>()), 9),
        as_of in proptest::option::of(any_instant()),
    ) -> PostMetrics {
        PostMetrics {
            impressions: figures[0],
            reach: figures[1],
            likes: figures[2],
            reposts: figures[3],
            replies: figures[4],
            quotes: figures[5],
            saves: figures[6],
            clicks: figures[7],
            video_views: figures[8],
            as_of,
        }
    }
}

prop_compose! {
    fn any_account_metrics()(
        figures in proptest::collection::vec(proptest::option::of(any::<u64>()), 6),
        as_of in proptest::option::of(any_instant()),
    ) -> AccountMetrics {
        AccountMetrics {
            followers: figures[0],
            following: figures[1],
            posts: figures[2],
            impressions: figures[3],
            reach: figures[4],
            profile_views: figures[5],
            as_of,
        }
    }
}

fn any_media_kind() -> impl Strategy<Value = MediaKind> {
    proptest::sample::select(vec![
        MediaKind::Image,
        MediaKind::Gif,
        MediaKind::Video,
        MediaKind::Audio,
        MediaKind::Document,
    ])
}

prop_compose! {
    fn any_text_rules()(
        counter in proptest::sample::select(vec![Counter::Chars, Counter::Graphemes, Counter::Utf16, Counter::Utf8Bytes, Counter::XWeighted]),
        max_length in any::<u32>(),
        max_bytes in proptest::option::of(any::<u32>()),
        url_weight in proptest::option::of(any::<u32>()),
        flags in any::<(bool, bool, bool)>(),
        max_hashtags in proptest::option::of(any::<u32>()),
        max_mentions in proptest::option::of(any::<u32>()),
        max_items in any::<u32>(),
        kinds in proptest::collection::vec(any_media_kind(), 0..5),
        sizes in any::<(Option<u64>, Option<u64>, Option<u32>)>(),
    ) -> TextRules {
        TextRules {
            counter,
            max_length,
            max_bytes,
            url_weight,
            urls_need_scheme: flags.0,
            remote_mentions_count_as_local: flags.1,
            max_hashtags,
            max_mentions,
            media: MediaRules {
                max_items,
                kinds,
                max_image_bytes: sizes.0,
                max_video_bytes: sizes.1,
                max_alt_text: sizes.2,
                mixed_kinds: flags.2,
            },
        }
    }
}

fn any_status() -> impl Strategy<Value = PostStatus> {
    proptest::sample::select(vec![
        PostStatus::Draft,
        PostStatus::InReview,
        PostStatus::Approved,
        PostStatus::Scheduled,
        PostStatus::Publishing,
        PostStatus::Published,
        PostStatus::Failed,
        PostStatus::Unknown,
        PostStatus::Cancelled,
    ])
}

proptest! {
    #[test]
    fn ids_round_trip(text in any_text()) {
        round_trip(&RemoteId::new(text.clone()));
        round_trip(&PostId::new(text.clone()));
        round_trip(&BrandId::new(text.clone()));
        round_trip(&AccountId::new(text.clone()));
        round_trip(&MemberId::new(text.clone()));
        round_trip(&CaseId::new(text.clone()));
        round_trip(&SegmentId::new(text.clone()));
        round_trip(&CampaignId::new(text.clone()));
        round_trip(&MediaId::new(text.clone()));
        round_trip(&Handle::new(text.clone()));
        round_trip(&IdempotencyKey::new(text.clone()));
        round_trip(&ClientMarker::new(text.clone()));
        round_trip(&ConversationId::new(text.clone()));
        // A cursor is stored by pollers and must come back byte for byte.
        round_trip(&Cursor::new(text));
    }

    #[test]
    fn platforms_and_kinds_round_trip(platform in any_platform(), kind in any_kind()) {
        round_trip(&platform);
        round_trip(&kind);
    }

    #[test]
    fn interactions_and_pages_round_trip(
        items in proptest::collection::vec(any_interaction(), 0..4),
        next in proptest::option::of(any_text()),
    ) {
        for item in &items {
            round_trip(item);
            round_trip(&item.author);
        }
        round_trip(&Page::new(items, next.map(Cursor::new)));
    }

    #[test]
    fn metrics_round_trip(post in any_post_metrics(), account in any_account_metrics()) {
        round_trip(&post);
        round_trip(&account);
    }

    #[test]
    fn rules_round_trip(rules in any_text_rules()) {
        round_trip(&rules);
        round_trip(&rules.media);
        round_trip(&rules.counter);
    }

    #[test]
    fn statuses_round_trip(status in any_status()) {
        round_trip(&status);
    }

    #[test]
    fn hour_of_week_round_trips(values in proptest::collection::vec(
        prop_oneof![proptest::num::f64::NORMAL | proptest::num::f64::ZERO, (0u32..1_000).prop_map(|n| f64::from(n) / 7.0)],
        HourOfWeek::LEN,
    )) {
        // Any finite value comes back bit for bit (serde_json's `float_roundtrip`).
        let mut activity = HourOfWeek::default();
        for (index, value) in values.into_iter().enumerate() {
            activity.add(index, value);
        }
        round_trip(&activity);
    }
}

// ---- fixtures for the larger types ---------------------------------------------------

fn attachment() -> MediaAttachment {
    MediaAttachment {
        source: MediaSource::Url(url("https://cdn.example/latte.png")),
        kind: MediaKind::Image,
        mime: "image/png".into(),
        alt_text: Some("Una taza con un corazón en la espuma".into()),
        size: Some(482_113),
        dimensions: Some((1200, 800)),
    }
}

#[test]
fn a_brand_round_trips_with_its_voice_hours_and_accounts() {
    let mut brand = tertulia::Brand::new(BrandId::new("cafe"), "Café Tertulia", chrono_tz::Europe::Madrid);
    brand.voice = Voice {
        tone: "cercano, con humor, nunca sarcástico".into(),
        forbidden_words: vec!["barato".into()],
        default_hashtags: vec!["CaféTertulia".into()],
        signature: Some("— Ana, Café Tertulia".into()),
    };
    brand.business_hours.closed_dates.insert(NaiveDate::from_ymd_opt(2026, 12, 25).unwrap());
    brand.business_hours.periods.push(OpenPeriod {
        day: Weekday::Sat,
        start: NaiveTime::from_hms_opt(10, 30, 0).unwrap(),
        end: NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
    });
    brand.accounts.push(Account {
        id: AccountId::new("cafe-mastodon"),
        platform: PlatformKind::Mastodon,
        handle: Handle::new("cafetertulia@social.example"),
        remote_id: Some(RemoteId::new("109000000000000001")),
    });
    brand.accounts.push(Account {
        id: AccountId::new("cafe-forum"),
        platform: PlatformKind::Other("forum".into()),
        handle: Handle::new("cafe"),
        remote_id: None,
    });
    round_trip(&brand);
    round_trip(&brand.voice);
    round_trip(&brand.business_hours);
    round_trip(&BusinessHours::always());
    round_trip(&brand.accounts[0]);
}

#[test]
fn audiences_and_members_round_trip() {
    let segment = Segment {
        id: SegmentId::new("baristas-es"),
        name: "Baristas en España".into(),
        languages: vec!["es".into(), "ca".into()],
        regions: vec!["ES".into()],
        interests: vec!["latte art".into()],
    };
    round_trip(&Audience { brand: BrandId::new("cafe"), segments: vec![segment.clone()] });
    round_trip(&segment);
    let mut activity = HourOfWeek::default();
    activity.record(chrono_tz::Europe::Madrid, instant(1_795_683_600));
    round_trip(&AudienceStats {
        account: AccountId::new("cafe-mastodon"),
        as_of: instant(1_795_683_600),
        followers: 1200,
        follower_growth: -14,
        activity,
    });
    let mut ana = Member::new(MemberId::new("ana"), "Ana Ruiz");
    ana.identities.push(Identity {
        platform: PlatformKind::Bluesky,
        handle: Handle::new("ana.bsky.social"),
        remote_id: RemoteId::new("did:plc:ana"),
    });
    ana.relationships = BTreeSet::from([Relationship::Customer, Relationship::Advocate, Relationship::Vip]);
    ana.history = MemberHistory {
        interactions: 41,
        positive: 30,
        negative: 2,
        defences: 3,
        cases_opened: 1,
        purchases: 12,
        first_seen: Some(instant(1_700_000_000)),
        last_seen: Some(instant(1_795_683_600)),
    };
    ana.notes.push("Prefiere leche de avena".into());
    round_trip(&ana);
    round_trip(&Relationship::Blocked);
}

#[test]
fn a_post_round_trips_with_variants_thread_media_and_publications() {
    let mut post = Post::new(
        PostId::new("anniversary"),
        BrandId::new("cafe"),
        PostContent {
            text: "Hoy cumplimos diez años 🎉".into(),
            media: vec![attachment()],
            link: Some(url("https://cafetertulia.example/10")),
            thread: vec![
                ThreadPart { text: "Abrimos en 2016.".into(), media: Vec::new() },
                ThreadPart {
                    text: "Gracias ☕".into(),
                    media: vec![MediaAttachment {
                        source: MediaSource::Path("media/gracias.mp4".into()),
                        kind: MediaKind::Video,
                        mime: "video/mp4".into(),
                        alt_text: None,
                        size: None,
                        dimensions: None,
                    }],
                },
            ],
            first_comment: Some("Reservas en la web".into()),
            language: Some("es".into()),
            content_warning: None,
        },
    );
    post.variants.insert(
        PlatformKind::X,
        Variant {
            text: Some("10 años 🎉".into()),
            media: Some(Vec::new()),
            thread: Some(Vec::new()),
            first_comment: Some(None),
            link: Some(None),
        },
    );
    post.variants.insert(PlatformKind::Bluesky, Variant::default());
    post.targets = vec![AccountId::new("cafe-mastodon"), AccountId::new("cafe-x")];
    post.campaign = Some(CampaignId::new("aniversario"));
    post.labels = vec!["launch".into()];
    post.status = PostStatus::Published;
    post.scheduled_at = Some(instant(1_795_683_600));
    post.publications.push(Publication {
        account: AccountId::new("cafe-mastodon"),
        parts: vec![
            RemoteRef::new("113000000000000001"),
            RemoteRef {
                id: RemoteId::new("at://did:plc:cafe/app.bsky.feed.post/3k"),
                url: Some(url("https://bsky.app/profile/cafe/post/3k")),
                revision: Some("bafyrei123".into()),
            },
        ],
        first_comment: Some(RemoteRef::new("113000000000000004")),
        published_at: instant(1_795_683_600),
    });
    let json = round_trip(&post);
    assert!(json.contains(r#""status":"published""#), "{json}");
    round_trip(&post.content);
    round_trip(&post.variants[&PlatformKind::X]);
    round_trip(&post.publications[0]);
    round_trip(&attachment());
}

#[test]
fn a_case_round_trips_with_every_kind_of_event() {
    let t = instant(1_795_683_600);
    let mut case = Case::open(CaseId::new("c1"), BrandId::new("cafe"), RemoteId::new("i1"), Priority::High, t);
    case.member = Some(MemberId::new("ana"));
    case.due = Some(t + chrono::Duration::hours(4));
    case.attach(RemoteId::new("i2"), t);
    case.respond(RemoteId::new("r1"), t).unwrap();
    case.assign("bruno", t).unwrap();
    case.set_status(CaseStatus::Escalated, t).unwrap();
    case.note("Reembolso aprobado", t);
    case.set_status(CaseStatus::Resolved, t).unwrap();
    let kinds: BTreeSet<&str> = case
        .history
        .iter()
        .map(|event| match event.kind {
            CaseEventKind::Opened { .. } => "opened",
            CaseEventKind::FollowUp { .. } => "follow_up",
            CaseEventKind::Responded { .. } => "responded",
            CaseEventKind::Assigned { .. } => "assigned",
            CaseEventKind::StatusChanged { .. } => "status_changed",
            CaseEventKind::Note { .. } => "note",
        })
        .collect();
    assert_eq!(kinds.len(), 6, "every kind of event is in the fixture");
    round_trip(&case);
    for event in &case.history {
        round_trip(event);
    }
    round_trip(&Priority::Urgent);
}

#[test]
fn roles_and_approval_rules_round_trip() {
    for role in
        [Role::SocialMediaManager, Role::Copywriter, Role::Designer, Role::BrandCommunityManager, Role::CareAgent]
    {
        round_trip(&role);
    }
    for action in [Action::Submit, Action::Approve, Action::Publish] {
        round_trip(&action);
    }
    round_trip(&ApprovalRule::default());
    round_trip(&ApprovalRule {
        submit: vec![Role::Copywriter],
        approve: vec![Role::SocialMediaManager, Role::BrandCommunityManager],
        publish: Vec::new(),
        approvals_required: 2,
        self_approval: true,
    });
}

#[test]
fn the_contract_types_round_trip() {
    let caps = Capabilities {
        account: true,
        publish: true,
        upload_media: true,
        threads: true,
        first_comment: true,
        native_scheduling: true,
        min_schedule_lead: Some(Duration::from_secs(300)),
        delete: true,
        get_post: true,
        reply: true,
        interactions: vec![InteractionKind::Mention, InteractionKind::Other("poll".into())],
        post_metrics: true,
        account_metrics: true,
        search: true,
        find_by_marker: true,
        idempotency_keys: true,
        publish_quota: Some(Quota { max: 250, window: Duration::from_secs(86_400) }),
        ..Capabilities::none(PlatformKind::Mastodon)
    };
    round_trip(&caps);
    round_trip(&Capabilities::none(PlatformKind::Other("forum".into())));
    round_trip(&caps.publish_quota);
    round_trip(&AccountInfo {
        id: RemoteId::new("1"),
        handle: Handle::new("cafetertulia"),
        display_name: Some("Café Tertulia".into()),
        url: Some(url("https://social.example/@cafetertulia")),
        followers: Some(1200),
    });
    let request = PublishRequest::new("Abrimos a las 8", IdempotencyKey::new("k"), ClientMarker::new("m"))
        .media([MediaId::new("media-1")])
        .link(url("https://cafetertulia.example"))
        .in_reply_to(RemoteRef::new("113"))
        .schedule_at(instant(1_795_690_800))
        .language("es")
        .content_warning("comida")
        .visibility(Visibility::Unlisted);
    round_trip(&request);
    for visibility in [Visibility::Public, Visibility::Unlisted, Visibility::Followers, Visibility::Direct] {
        round_trip(&visibility);
    }
    let reply = ReplyRequest::new(RemoteId::new("i1"), "¡Gracias!", IdempotencyKey::new("k2"), ClientMarker::new("m2"))
        .language("es");
    round_trip(&reply);
    let media = UploadedMedia {
        id: MediaId::new("media-1"),
        kind: MediaKind::Gif,
        alt_text: Some("Un gato".into()),
        url: Some(url("https://social.example/media/1")),
    };
    round_trip(&media);
    round_trip(&RemotePost {
        reference: RemoteRef::new("113"),
        author: Author::new("1", "cafetertulia"),
        text: "Abrimos a las 8".into(),
        created_at: instant(1_795_683_600),
        in_reply_to: Some(RemoteId::new("112")),
        media: vec![media],
        language: Some("es".into()),
        metrics: Some(PostMetrics { likes: Some(3), ..PostMetrics::default() }),
    });
    round_trip(
        &InteractionQuery::default()
            .kinds([InteractionKind::Mention, InteractionKind::DirectMessage])
            .cursor(Cursor::new("109.7"))
            .limit(40),
    );
    let mut search = SearchQuery::new("tertulia").cursor(Cursor::new("abc")).limit(20);
    search.language = Some("es".into());
    round_trip(&search);
    round_trip(&PublishLookup::for_request(&request, instant(1_795_683_600)));
    round_trip(&PublishLookup::for_reply(&reply, instant(1_795_683_600)));
}

#[test]
fn the_wire_names_are_stable() {
    // What is stored today must read tomorrow: the names are part of the format.
    let names = BTreeMap::from([
        (serde_json::to_string(&PlatformKind::X).unwrap(), r#""x""#),
        (serde_json::to_string(&InteractionKind::DirectMessage).unwrap(), r#""direct_message""#),
        (serde_json::to_string(&PostStatus::InReview).unwrap(), r#""in_review""#),
        (serde_json::to_string(&Counter::XWeighted).unwrap(), r#""x_weighted""#),
        (serde_json::to_string(&Cursor::new("abc")).unwrap(), r#""abc""#),
    ]);
    for (got, want) in names {
        assert_eq!(got, want);
    }
    assert_eq!(serde_json::from_str::<PlatformKind>(r#""twitter""#).unwrap(), PlatformKind::X);
}
