//! Money after the sale: payments at any time (full, partial, deposit),
//! refunds that may take the unused credits they pay for back, corrections
//! of money entered by mistake (not refunds: no money moved), instalment
//! plans, and cancelling a paid sale with what happened to the money.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::changes::Topic;
use crate::domain::kinds::{EntryKind, PaymentKind};
use crate::domain::payment::{self, Instalment};
use crate::error::{Check, Error, Result};
use crate::money::{Currency, Money};
use crate::store::ledger::NewEntry;
use crate::store::payments::NewPayment;
use crate::store::{self, Store, Tx};
use crate::text;
use crate::views::client_record::{package_view, InstalmentView, PackageView};

/// How money was paid or given back.
pub const METHODS: [&str; 4] = ["Cash", "Card", "Bank transfer", "Other"];

/// A method as typed: one of [`METHODS`] (any case), or none.
pub(crate) fn method(text: &str) -> text::Checked<&'static str> {
    let t = text.trim();
    if t.is_empty() {
        return Ok("");
    }
    METHODS
        .iter()
        .find(|m| m.eq_ignore_ascii_case(t))
        .copied()
        .ok_or_else(|| "Choose cash, card, bank transfer or other.".to_owned())
}

/// A day as typed, or today when empty; never a day still to come (money
/// moves when it moves).
fn day_or_today(c: &mut Check, field: &str, text: &str, today: NaiveDate) -> NaiveDate {
    match text.trim() {
        "" => today,
        t => match c.opt(field, text::date(t)) {
            Some(d) if d > today => {
                c.fail(
                    field,
                    "That day is still to come: record money when it moves.",
                );
                today
            }
            Some(d) => d,
            None => today,
        },
    }
}

/// A positive amount in the practice's currency.
fn amount(c: &mut Check, field: &str, text: &str, currency: Currency) -> Option<Money> {
    let m = c.opt(field, currency.parse_amount(text))?;
    if m.is_zero() {
        c.fail(field, "Enter an amount above zero.");
        return None;
    }
    Some(m)
}

/// What the Record payment sheet sends.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PaymentInput {
    pub package_id: String,
    pub amount: String,
    /// `YYYY-MM-DD`; empty means today.
    pub date: String,
    /// Cash, Card, Bank transfer or Other.
    pub method: String,
    pub note: String,
}

/// What the Refund sheet sends.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RefundInput {
    pub package_id: String,
    pub amount: String,
    pub date: String,
    pub method: String,
    pub note: String,
    /// Unused credits the refund pays for, taken back; empty or 0: none.
    pub take_back: String,
}

/// One instalment as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct InstalmentInput {
    pub due_on: String,
    pub amount: String,
}

/// A plan for a package: due days and amounts that add up to what is due.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanInput {
    pub package_id: String,
    pub instalments: Vec<InstalmentInput>,
}

/// Asks for an even monthly plan, to fill the plan fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SuggestPlanInput {
    /// What the plan covers in all (the price).
    pub amount: String,
    /// Paid now (due on the sale day); empty: nothing.
    pub deposit: String,
    /// How many monthly instalments after the deposit.
    pub count: String,
    /// The first of them, `YYYY-MM-DD`; empty: a month after the sale.
    pub first: String,
    /// The sale day (the deposit's due day).
    pub sold_on: String,
}

/// What happened to the money of a sale that is cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum MoneyBack {
    /// Given back now: a refund of what was paid.
    #[default]
    Refunded,
    /// Moved to another of the client's packages, as a payment there.
    Credited,
    /// Not refunded: it stays with the practice, and the client is in credit.
    Kept,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CancelSaleInput {
    pub package_id: String,
    pub money: MoneyBack,
    /// For `Credited`: the package the money goes to.
    pub to_package_id: Option<String>,
    /// How a refund is paid back.
    pub method: String,
    pub note: String,
}

/// What a money operation wrote: what Undo corrects, and the package after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MoneyDone {
    /// The payment or refund written (what a correction would reverse).
    pub payment_id: Option<String>,
    pub package: PackageView,
}

/// Checks a plan: real days from the sale on, none twice, amounts above
/// zero that add up to `due` exactly. Errors name the row
/// (`plan.2.amount`) or the whole (`plan`).
pub(crate) fn check_plan(
    c: &mut Check,
    rows: &[InstalmentInput],
    due: Money,
    sold_on: NaiveDate,
) -> Vec<Instalment> {
    if rows.len() > 60 {
        c.fail("plan", "A plan has at most 60 instalments.");
        return Vec::new();
    }
    let currency = due.currency();
    let mut plan = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let day = c.opt(&format!("plan.{i}.dueOn"), text::date(&row.due_on));
        if day.is_some_and(|d| d < sold_on) {
            c.fail(&format!("plan.{i}.dueOn"), "That is before the sale.");
        }
        if day.is_some_and(|d| plan.iter().any(|p: &Instalment| p.due_on == d)) {
            c.fail(
                &format!("plan.{i}.dueOn"),
                "Another instalment is due that day.",
            );
        }
        let money = amount(c, &format!("plan.{i}.amount"), &row.amount, currency);
        if let (Some(d), Some(m)) = (day, money) {
            plan.push(Instalment {
                due_on: d,
                amount: m.minor(),
            });
        }
    }
    if !plan.is_empty() && plan.len() == rows.len() {
        let total: i64 = plan.iter().map(|i| i.amount).sum();
        if total != due.minor() {
            c.fail(
                "plan",
                format!(
                    "The instalments add up to {}; they must add up to {}.",
                    currency.minor(total).to_decimal(),
                    due.to_decimal()
                ),
            );
        }
    }
    plan.sort_by_key(|i| i.due_on);
    plan
}

fn done(tx: &Tx, payment_id: Option<String>, package_id: &str) -> Result<MoneyDone> {
    tx.touch(Topic::Packages);
    Ok(MoneyDone {
        payment_id,
        package: package_view(tx, package_id)?,
    })
}

/// Takes `k` unused credits back for a refund (they leave the package, their
/// worth counted as taken back), dated the refund's day.
fn take_back(
    tx: &Tx,
    package_id: &str,
    k: u32,
    refund_id: &str,
    on: NaiveDate,
    note: &str,
) -> Result<()> {
    let n = i32::try_from(k).unwrap_or(0);
    let note = if note.is_empty() {
        "Taken back by a refund"
    } else {
        note
    };
    store::ledger::insert(
        tx.conn,
        &NewEntry {
            refund_id: Some(refund_id),
            note,
            why: "taken back by a refund",
            ..NewEntry::plain(&tx.id("le"), package_id, EntryKind::Adjustment, -n, on)
        },
        &tx.now_text(),
    )?;
    Ok(())
}

/// What a payment and a refund both ask for, checked: the amount, the day
/// (not before the sale), the method, the note, and the package.
struct MoneyLine {
    money: Option<Money>,
    on: NaiveDate,
    method: &'static str,
    note: String,
    package: crate::store::packages::PackageRow,
}

/// A payment's or a refund's common fields, as typed.
trait MoneyFields {
    /// Package, amount, date, method, note.
    fn fields(&self) -> [&str; 5];
}

impl MoneyFields for PaymentInput {
    fn fields(&self) -> [&str; 5] {
        [
            &self.package_id,
            &self.amount,
            &self.date,
            &self.method,
            &self.note,
        ]
    }
}

impl MoneyFields for RefundInput {
    fn fields(&self) -> [&str; 5] {
        [
            &self.package_id,
            &self.amount,
            &self.date,
            &self.method,
            &self.note,
        ]
    }
}

fn money_line(tx: &Tx, c: &mut Check, input: &impl MoneyFields) -> Result<MoneyLine> {
    let [package_id, amount_text, date, method_text, note] = input.fields();
    let ctx = tx.ctx()?;
    let money = amount(c, "amount", amount_text, ctx.currency);
    let on = day_or_today(c, "date", date, ctx.today);
    let method = c.field("method", method(method_text));
    let note = c.field("note", text::multiline(note, 2000));
    let package = store::packages::get(tx.conn, ctx.currency, package_id)?;
    if on < package.sold_on {
        c.fail("date", "That is before the package was sold.");
    }
    Ok(MoneyLine {
        money,
        on,
        method,
        note,
        package,
    })
}

/// Writes a checked payment or refund; returns its id.
fn write_money(tx: &Tx, line: &MoneyLine, kind: PaymentKind) -> Result<String> {
    let Some(money) = line.money else {
        unreachable!("a passed check has an amount")
    };
    let id = tx.id("pa");
    store::payments::insert(
        tx.conn,
        &NewPayment {
            method: line.method,
            note: &line.note,
            ..NewPayment::plain(&id, &line.package.id, kind, money, line.on)
        },
        &tx.now_text(),
    )?;
    Ok(id)
}

impl Store {
    /// Records money received against a package, at any time.
    pub fn record_payment(&mut self, input: &PaymentInput) -> Result<MoneyDone> {
        self.write(|tx| {
            let mut c = Check::new();
            let line = money_line(tx, &mut c, input)?;
            if line.package.cancelled {
                c.fail(
                    "amount",
                    "This sale was cancelled: record the payment on another package.",
                );
            }
            c.done()?;
            let id = write_money(tx, &line, PaymentKind::Payment)?;
            done(tx, Some(id), &line.package.id)
        })
    }

    /// Gives money back, up to what was received; optionally takes back the
    /// unused credits it pays for (a ledger entry linked to the refund).
    pub fn record_refund(&mut self, input: &RefundInput) -> Result<MoneyDone> {
        self.write(|tx| {
            let mut c = Check::new();
            let line = money_line(tx, &mut c, input)?;
            let credits = match input.take_back.trim() {
                "" | "0" => 0,
                t => c.field("takeBack", text::count(t, 1, 1000)),
            };
            let (p, on, note) = (&line.package, line.on, &line.note);
            if line.money.is_some_and(|m| m.minor() > p.paid.minor()) {
                c.fail(
                    "amount",
                    format!(
                        "Only {} was received (after refunds): a refund can't be more.",
                        p.paid.to_decimal()
                    ),
                );
            }
            if credits > 0 {
                let can = crate::ops::ledger::available_on(tx, &p.id, p.remaining, on)?;
                if credits > can {
                    c.fail(
                        "takeBack",
                        format!("Only {can} unused credits can be taken back then."),
                    );
                }
            }
            c.done()?;
            let id = write_money(tx, &line, PaymentKind::Refund)?;
            if credits > 0 {
                take_back(tx, &p.id, credits, &id, on, note)?;
            }
            done(tx, Some(id), &p.id)
        })
    }

    /// Corrects a payment or refund entered by mistake with a mirror line (no
    /// money moved; both lines stay). Money moved to another package is
    /// corrected on both sides; credits a refund took back come back.
    pub fn correct_payment(&mut self, payment_id: &str, note: &str) -> Result<MoneyDone> {
        let note = text::multiline(note, 2000).map_err(|m| Error::field("note", m))?;
        self.write(|tx| {
            let ctx = tx.ctx()?;
            let a = store::payments::get(tx.conn, payment_id)?;
            if a.reverses_id.is_some() {
                return Err(Error::Conflict("That line is itself a correction.".into()));
            }
            if a.corrected_by.is_some() {
                return Err(Error::Conflict("That line was already corrected.".into()));
            }
            // Money moved between packages is one act: correct it from either
            // half (the refund first, then the payment it became).
            let picked_package = a.package_id.clone();
            let (first, moved) = match (&a.moved_from_id, &a.moved_to) {
                (Some(from), _) => (store::payments::get(tx.conn, from)?, Some(a)),
                (None, Some(to)) => {
                    let to = store::payments::get(tx.conn, to)?;
                    (a, Some(to))
                }
                (None, None) => (a, None),
            };
            let now = tx.now_text();
            for p in std::iter::once(&first).chain(moved.as_ref()) {
                // What the correction takes out must still be there.
                if p.kind == PaymentKind::Payment {
                    let row = store::packages::get(tx.conn, ctx.currency, &p.package_id)?;
                    if row.paid.minor() < p.amount_minor {
                        return Err(Error::Conflict(
                            "Part of that payment was refunded since: correct the refund first."
                                .into(),
                        ));
                    }
                }
                store::payments::insert(
                    tx.conn,
                    &NewPayment {
                        note: &note,
                        reverses_id: Some(&p.id),
                        ..NewPayment::plain(
                            &tx.id("pa"),
                            &p.package_id,
                            p.kind,
                            ctx.currency.minor(p.amount_minor),
                            p.paid_on,
                        )
                    },
                    &now,
                )?;
            }
            // A refund that took credits back gives them back.
            for entry in store::ledger::taken_back_by(tx.conn, &first.id)? {
                if let Some(e) = store::ledger::get(tx.conn, &entry)? {
                    crate::ops::ledger::reverse_as(tx, &e, &note, true)?;
                }
            }
            done(tx, None, &picked_package)
        })
    }

    /// Puts an instalment plan in force for a package (the one before is
    /// kept, replaced); the instalments add up to what is due after refunds.
    pub fn set_plan(&mut self, input: &PlanInput) -> Result<MoneyDone> {
        self.write(|tx| {
            let ctx = tx.ctx()?;
            let p = store::packages::get(tx.conn, ctx.currency, &input.package_id)?;
            let mut c = Check::new();
            if p.cancelled {
                c.fail("plan", "This sale was cancelled: there is nothing to pay.");
            }
            let due = p.price.minus(p.refunded);
            let plan = if input.instalments.is_empty() {
                Vec::new()
            } else {
                check_plan(&mut c, &input.instalments, due, p.sold_on)
            };
            c.done()?;
            store::payments::replace_plan(tx.conn, &p.id, &plan, &tx.now_text())?;
            done(tx, None, &p.id)
        })
    }

    /// An even monthly plan (and the deposit on the sale day), to fill the
    /// plan fields with; nothing is written.
    pub fn suggest_plan(&self, input: &SuggestPlanInput) -> Result<Vec<InstalmentView>> {
        self.read(|tx| {
            let ctx = tx.ctx()?;
            let mut c = Check::new();
            let total = c.opt("price", ctx.currency.parse_amount(&input.amount));
            let deposit = match input.deposit.trim() {
                "" => Some(ctx.currency.zero()),
                t => c.opt("deposit", ctx.currency.parse_amount(t)),
            };
            let count = c.field("planCount", text::count(&input.count, 1, 59));
            let sold_on = match input.sold_on.trim() {
                "" => Some(ctx.today),
                t => c.opt("soldOn", text::date(t)),
            };
            // Empty: a month after the sale (the end of a shorter month kept).
            let first = match input.first.trim() {
                "" => sold_on.and_then(|d| d.checked_add_months(chrono::Months::new(1))),
                t => c.opt("planFirst", text::date(t)),
            };
            if let (Some(t), Some(d)) = (total, deposit) {
                if d.minor() >= t.minor() {
                    c.fail(
                        "deposit",
                        "The deposit is the whole price: no plan is needed.",
                    );
                }
            }
            if let (Some(f), Some(s)) = (first, sold_on) {
                if f < s {
                    c.fail(
                        "planFirst",
                        "The first instalment can't be due before the sale.",
                    );
                }
            }
            c.done()?;
            let (Some(total), Some(deposit), Some(first), Some(sold_on)) =
                (total, deposit, first, sold_on)
            else {
                unreachable!("a passed check has every value")
            };
            let mut plan = Vec::new();
            if deposit.is_positive() {
                plan.push(Instalment {
                    due_on: sold_on,
                    amount: deposit.minor(),
                });
            }
            plan.extend(payment::monthly_plan(
                total.minor() - deposit.minor(),
                count,
                first,
            ));
            if plan.len() > 1 && plan[0].due_on == plan[1].due_on {
                // The deposit and the first instalment on the same day are one.
                let first = plan.remove(1);
                plan[0].amount += first.amount;
            }
            Ok(plan
                .into_iter()
                .map(|i| InstalmentView {
                    due_on: i.due_on,
                    amount: ctx.currency.minor(i.amount).to_decimal(),
                })
                .collect())
        })
    }

    /// Cancels a sale (reverses its purchase: its credits go, unused) and
    /// records what happened to the money paid for it.
    pub fn cancel_sale(&mut self, input: &CancelSaleInput) -> Result<MoneyDone> {
        self.write(|tx| {
            let ctx = tx.ctx()?;
            let p = store::packages::get(tx.conn, ctx.currency, &input.package_id)?;
            let mut c = Check::new();
            let method = c.field("method", method(&input.method));
            let note = c.field("note", text::multiline(&input.note, 2000));
            if p.cancelled {
                return Err(Error::Conflict("That sale is already cancelled.".into()));
            }
            let target = match (input.money, &input.to_package_id) {
                (MoneyBack::Credited, Some(id)) if !id.is_empty() => {
                    let to = store::packages::get(tx.conn, ctx.currency, id).map_err(|_| {
                        Error::field("toPackageId", "Choose the package the money goes to.")
                    })?;
                    if to.id == p.id || to.client_id != p.client_id || to.cancelled {
                        c.fail("toPackageId", "Choose another of this client's packages.");
                    }
                    Some(to)
                }
                (MoneyBack::Credited, _) if p.paid.is_positive() => {
                    c.fail("toPackageId", "Choose the package the money goes to.");
                    None
                }
                _ => None,
            };
            c.done()?;
            let purchase = store::ledger::purchase_of(tx.conn, &p.id)?
                .ok_or_else(|| Error::Conflict("That package has no purchase to cancel.".into()))?;
            let why = match (input.money, p.paid.is_positive()) {
                (_, false) => "Sale cancelled".to_owned(),
                (MoneyBack::Refunded, true) => {
                    format!("Sale cancelled: {} refunded", p.paid.to_decimal())
                }
                (MoneyBack::Credited, true) => format!(
                    "Sale cancelled: {} moved to {}",
                    p.paid.to_decimal(),
                    target.as_ref().map(|t| t.name.as_str()).unwrap_or("")
                ),
                (MoneyBack::Kept, true) => format!(
                    "Sale cancelled: {} kept, the client is in credit",
                    p.paid.to_decimal()
                ),
            };
            let note = if note.is_empty() {
                why
            } else {
                format!("{why} — {note}")
            };
            crate::ops::ledger::reverse_as(tx, &purchase, &note, true)?;
            let now = tx.now_text();
            let today = ctx.today.max(p.sold_on);
            let mut refund_id = None;
            if p.paid.is_positive() && input.money != MoneyBack::Kept {
                let id = tx.id("pa");
                store::payments::insert(
                    tx.conn,
                    &NewPayment {
                        method: if input.money == MoneyBack::Credited {
                            "Other"
                        } else {
                            method
                        },
                        note: &note,
                        ..NewPayment::plain(&id, &p.id, PaymentKind::Refund, p.paid, today)
                    },
                    &now,
                )?;
                if let Some(to) = &target {
                    let moved_note = format!("Moved from {} (sale cancelled)", p.name);
                    store::payments::insert(
                        tx.conn,
                        &NewPayment {
                            method: "Other",
                            note: &moved_note,
                            moved_from_id: Some(&id),
                            ..NewPayment::plain(
                                &tx.id("pa"),
                                &to.id,
                                PaymentKind::Payment,
                                p.paid,
                                today.max(to.sold_on),
                            )
                        },
                        &now,
                    )?;
                }
                refund_id = Some(id);
            }
            done(tx, refund_id, &p.id)
        })
    }
}
