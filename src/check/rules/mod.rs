//! One file per check code (R001 and R002 share one: a rate is checked against its named
//! base and, failing that, against the other bases in one decision). `sums` is the part–whole
//! evaluation S001, S002 and S003 share.

pub mod c001_required_part_missing;
pub mod d001_figure_stated_twice;
pub mod d002_item_stated_twice;
pub mod f001_score_exceeds_weight;
pub mod f002_form_total_mismatch;
pub mod f003_grade_mismatch;
pub mod f004_execution_score;
pub mod f005_indicator_missed;
pub mod f006_form_funds_do_not_add_up;
pub mod f007_narrative_contradicts_form;
mod forms;
pub mod i001_identity_broken;
pub mod n001_count_differs_from_list;
pub mod r001_r002_rate_claims;
pub mod r003_change_claim_mismatch;
pub mod r004_comparison_word_contradicts;
pub mod s001_parts_do_not_sum_to_total;
pub mod s002_table_total_mismatch;
pub mod s003_score_total_mismatch;
mod sums;
pub mod t001_copy_slip;
pub mod t002_name_variant;
pub mod t003_year_reference;
pub mod t004_classification_name;
pub mod t005_change_without_reason;
