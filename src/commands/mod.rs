//! The commands of the binary, one file each: `serve`, `check`, `reindex`, `import` and
//! `export`, `user`, `token` and `purge`, `backup` and `restore`, `eval` and `distill`. Each returns the process exit code.

mod backup;
mod check;
mod distill;
mod eval;
mod plain;
mod regroup;
mod reindex;
mod serve;
mod transfer;
mod users;

pub use backup::{backup, restore};
pub use check::check;
pub use distill::distill;
pub use eval::run as eval;
pub use regroup::regroup;
pub use reindex::reindex;
pub use serve::serve;
pub use transfer::{export, import};
pub use users::{purge, token, user};
