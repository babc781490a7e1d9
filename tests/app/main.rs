//! The one integration-test binary: router tests through the in-process app, the shipped
//! knowledge, the command line, live reload, and the browser test.

mod api;
mod auth;
mod browser;
mod callbacks;
mod calls;
mod cli;
mod crash;
mod desk_record;
mod desk_screen;
mod desk_week;
mod doors;
mod edge;
mod editing;
mod encoder;
mod groups;
mod hardening;
mod harness;
mod inputs;
mod pages;
mod pbx;
mod pbx_live;
mod reload;
mod reports;
mod shipped;
