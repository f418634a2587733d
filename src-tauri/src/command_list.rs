// The one list of the app's commands, by area. Everything that must know the
// commands is generated from it: the invoke handler and the TypeScript
// bindings (`lib.rs`), and each command's permission and the capability's
// `allow-app-commands` set (`build.rs`). A test proves the three agree.
//
// Shared with build.rs through `include!`, so it holds only this macro: it
// hands the list to another macro, with that macro's own arguments first.
#[macro_export]
macro_rules! command_list {
    ($($apply:ident)::+ ($($args:tt)*)) => {
        $($apply)::+! { ($($args)*)
            practice: app_info, setup_practice, save_practice, load_sample;
            clients: list_clients, client_record, create_client, update_client, likely_duplicates;
            offerings: list_offerings, create_offering, update_offering, set_offering_retired;
            packages: sell_package, log_session, reverse_entry, adjust_credits, transfer_credits, client_packages, balances_on;
            bookings: agenda, schedule_preview, schedule, complete_session, mark_no_show, cancel_session, reschedule, waive_forfeit, reopen_booking;
            renewals: needs_attention, set_follow_up, extend_package, pause_package, remind_client, reminder_template, set_reminder_template;
            money: record_payment, record_refund, correct_payment, set_plan, suggest_plan, cancel_sale, reports, export_report;
            files: export_client_history, export_calendar, back_up_now, list_snapshots, restore_snapshot, restore_from_file;
        }
    };
}
