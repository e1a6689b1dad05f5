//! Languages of the printable report: headings and verdict words in English, Traditional
//! Chinese (Hong Kong) and Simplified Chinese (Guangdong). Rule messages stay English.

use super::summary::{Basis, Standing};
use crate::trust::Jurisdiction;
use crate::verdict::Status;

/// A report language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    /// English.
    #[default]
    #[serde(rename = "en")]
    En,
    /// 繁體中文 (Hong Kong).
    #[serde(rename = "zh-Hant")]
    ZhHant,
    /// 简体中文 (Guangdong).
    #[serde(rename = "zh-Hans")]
    ZhHans,
}

/// The fixed texts of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Text {
    /// The report title.
    Title,
    /// "Document".
    Document,
    /// "Verdict".
    Verdicts,
    /// "Signer".
    Signer,
    /// "Certificate chain (trust anchor first)".
    Chain,
    /// "Checks".
    Checks,
    /// "Validation time".
    ValidationTime,
    /// "Claimed signing time (not proven)".
    ClaimedTime,
    /// "Proven time".
    ProvenTime,
    /// "none: no timestamp proves when it was signed".
    NoProvenTime,
    /// "Tool version".
    ToolVersion,
    /// "Trust lists used".
    TrustLists,
    /// "relying party".
    RelyingParty,
    /// "What you can do".
    NextStep,
    /// "File".
    File,
    /// "Overall indication".
    Indication,
    /// "no signer".
    NoSigner,
}

impl Lang {
    /// The language of a `--lang` value (`en`, `zh-Hant`, `zh-Hans`, case-insensitive;
    /// `zh-HK`/`zh-TW` and `zh-CN` too).
    pub fn parse(text: &str) -> Option<Lang> {
        match text.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "zh-hant" | "zh-hk" | "zh-tw" => Some(Lang::ZhHant),
            "zh-hans" | "zh-cn" => Some(Lang::ZhHans),
            _ => None,
        }
    }

    /// The BCP 47 tag (`en`, `zh-Hant`, `zh-Hans`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhHant => "zh-Hant",
            Lang::ZhHans => "zh-Hans",
        }
    }

    /// A fixed text.
    pub fn text(self, t: Text) -> &'static str {
        let [en, hant, hans] = match t {
            Text::Title => [
                "Signature verification report",
                "電子簽署核實報告",
                "电子签名验证报告",
            ],
            Text::Document => ["Document", "文件", "文件"],
            Text::Verdicts => ["Verdict", "核實結果", "验证结果"],
            Text::Signer => ["Signer", "簽署人", "签署人"],
            Text::Chain => [
                "Certificate chain (trust anchor first)",
                "證書鏈（由信任錨開始）",
                "证书链（由信任锚开始）",
            ],
            Text::Checks => ["Checks", "檢查項目", "检查项目"],
            Text::ValidationTime => ["Validation time", "核實時間", "验证时间"],
            Text::ClaimedTime => [
                "Claimed signing time (not proven)",
                "聲稱的簽署時間（未經證明）",
                "声称的签署时间（未经证明）",
            ],
            Text::ProvenTime => ["Proven time", "經證明的時間", "经证明的时间"],
            Text::NoProvenTime => [
                "none: no timestamp proves when it was signed",
                "沒有：並無時間戳證明簽署時間",
                "没有：并无时间戳证明签署时间",
            ],
            Text::ToolVersion => ["Tool version", "工具版本", "工具版本"],
            Text::TrustLists => ["Trust lists used", "所用信任清單", "所用信任清单"],
            Text::RelyingParty => ["relying party", "依賴方", "依赖方"],
            Text::NextStep => ["What you can do", "可採取的行動", "可采取的行动"],
            Text::File => ["File", "檔案", "文件名"],
            Text::Indication => ["Overall indication", "整體結果", "整体结果"],
            Text::NoSigner => ["no signer", "沒有簽署人", "没有签署人"],
        };
        match self {
            Lang::En => en,
            Lang::ZhHant => hant,
            Lang::ZhHans => hans,
        }
    }

    /// VALID / NOT VALID / NOT CONFIRMED.
    pub fn standing(self, s: Standing) -> &'static str {
        let [en, hant, hans] = match s {
            Standing::Valid => ["VALID", "有效", "有效"],
            Standing::NotValid => ["NOT VALID", "無效", "无效"],
            Standing::NotConfirmed => ["NOT CONFIRMED", "未能確認", "未能确认"],
        };
        self.pick(en, hant, hans)
    }

    /// Hong Kong / Guangdong.
    pub fn jurisdiction(self, j: Jurisdiction) -> &'static str {
        match j {
            Jurisdiction::Hk => self.pick("Hong Kong", "香港", "香港"),
            Jurisdiction::Gd => self.pick("Guangdong", "廣東", "广东"),
        }
    }

    /// passed / failed / warning / skipped.
    pub fn status(self, s: Status) -> &'static str {
        let [en, hant, hans] = match s {
            Status::Passed => ["passed", "通過", "通过"],
            Status::Failed => ["failed", "不通過", "不通过"],
            Status::Warning => ["warning", "警告", "警告"],
            Status::Skipped => ["not applicable", "不適用", "不适用"],
        };
        self.pick(en, hant, hans)
    }

    /// The kind of basis, shortly (the details follow in English).
    pub fn basis(self, b: &Basis) -> &'static str {
        let [en, hant, hans] = match b {
            Basis::OwnList { .. } => [
                "trusted by its own list",
                "獲本地信任清單信任",
                "获本地信任清单信任",
            ],
            Basis::MutualRecognition { .. } => [
                "recognised under mutual recognition",
                "按粵港互認安排獲承認",
                "按粤港互认安排获承认",
            ],
            Basis::DirectAnchor => [
                "trusted only because --anchor was passed",
                "僅因指定了 --anchor 而受信任",
                "仅因指定了 --anchor 而受信任",
            ],
            Basis::Anchor { .. } => [
                "trusted through an anchor",
                "經信任錨受信任",
                "经信任锚受信任",
            ],
            Basis::NotRecognised { .. } => ["not recognised", "不獲承認", "不获承认"],
            Basis::Failed { .. } => ["check failed", "檢查不通過", "检查不通过"],
            Basis::DocumentTimestamp => [
                "a valid document timestamp",
                "有效的文件時間戳記",
                "有效的文件时间戳",
            ],
        };
        self.pick(en, hant, hans)
    }

    fn pick(self, en: &'static str, hant: &'static str, hans: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::ZhHant => hant,
            Lang::ZhHans => hans,
        }
    }
}
