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
            packages: sell_package, log_session, reverse_entry;
            files: export_client_history, back_up_now, list_snapshots, restore_snapshot, restore_from_file;
        }
    };
}
