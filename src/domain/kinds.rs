//! The kinds and statuses the database stores as text, as Rust enums mapped
//! both ways in one place. SQL binds them as parameters; no status string is
//! spelled out in a query.

/// Declares an enum stored as TEXT: `as_sql`, `from_sql`, and rusqlite's
/// `ToSql`/`FromSql`, so a value read from the file that the enum does not
/// know is an error, never a silent default.
macro_rules! sql_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_sql(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn from_sql(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.as_sql()))
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let text = v.as_str()?;
                $name::from_sql(text).ok_or_else(|| {
                    rusqlite::types::FromSqlError::Other(
                        format!("unknown {} “{text}”", stringify!($name)).into(),
                    )
                })
            }
        }
    };
}

sql_enum! {
    /// What a credit-ledger entry records.
    pub enum EntryKind {
        Purchase = "purchase",
        Session = "session",
        LateCancel = "late_cancel",
        NoShow = "no_show",
        Adjustment = "adjustment",
        TransferIn = "transfer_in",
        TransferOut = "transfer_out",
        Expiry = "expiry",
        Reversal = "reversal",
    }
}

impl EntryKind {
    /// Entries that draw one credit for a session.
    pub fn is_session_draw(self) -> bool {
        matches!(
            self,
            EntryKind::Session | EntryKind::LateCancel | EntryKind::NoShow
        )
    }
}

sql_enum! {
    /// Money in or out against a package.
    pub enum PaymentKind {
        Payment = "payment",
        Refund = "refund",
    }
}

sql_enum! {
    /// Where a booking stands.
    pub enum SessionStatus {
        Scheduled = "scheduled",
        Completed = "completed",
        Cancelled = "cancelled",
        LateCancelled = "late_cancelled",
        NoShow = "no_show",
    }
}

sql_enum! {
    /// How a package's validity is stored.
    pub enum ValidityKind {
        None = "none",
        Days = "days",
        Until = "until",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_text() {
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::from_sql(k.as_sql()), Some(*k));
        }
        for k in SessionStatus::ALL {
            assert_eq!(SessionStatus::from_sql(k.as_sql()), Some(*k));
        }
        for k in PaymentKind::ALL {
            assert_eq!(PaymentKind::from_sql(k.as_sql()), Some(*k));
        }
        assert_eq!(EntryKind::from_sql("gift"), None);
    }

    #[test]
    fn the_schema_allows_exactly_these_kinds() {
        // The CHECK constraints list the same words: a kind added here and not
        // there (or the other way round) fails this test.
        let schema = crate::store::schema_sql();
        for k in EntryKind::ALL {
            assert!(schema.contains(&format!("'{}'", k.as_sql())), "{k:?}");
        }
        for k in SessionStatus::ALL {
            assert!(schema.contains(&format!("'{}'", k.as_sql())), "{k:?}");
        }
    }
}
