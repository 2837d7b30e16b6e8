<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n workstream(s)</source>
        <translation>
            <numerusform>%n workstream</numerusform>
            <numerusform>%n workstreams</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unsaved edit(s) dropped: the record no longer exists in the environment.</source>
        <translation>
            <numerusform>%n unsaved edit dropped: the record no longer exists in the environment.</numerusform>
            <numerusform>%n unsaved edits dropped: the record no longer exists in the environment.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of your unsaved edits were changed on the server meanwhile; saving them will ask which value to keep.</source>
        <translation>
            <numerusform>%n of your unsaved edits was changed on the server meanwhile; saving it will ask which value to keep.</numerusform>
            <numerusform>%n of your unsaved edits were changed on the server meanwhile; saving them will ask which value to keep.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saving %n change(s)…</source>
        <translation>
            <numerusform>Saving %n change…</numerusform>
            <numerusform>Saving %n changes…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n change(s) to %1.</source>
        <translation>
            <numerusform>Saved %n change to %1.</numerusform>
            <numerusform>Saved %n changes to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n configuration(s)</source>
        <translation>
            <numerusform>%n configuration</numerusform>
            <numerusform>%n configurations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unsaved edit(s)</source>
        <translation>
            <numerusform>%n unsaved edit</numerusform>
            <numerusform>%n unsaved edits</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Undo &amp;Last Save (%n change(s))…</source>
        <translation>
            <numerusform>Undo &amp;Last Save (%n change)…</numerusform>
            <numerusform>Undo &amp;Last Save (%n changes)…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) are not saved. They are kept on this computer and come back the next time you open %1.</source>
        <translation>
            <numerusform>%n edit is not saved. It is kept on this computer and comes back the next time you open %1.</numerusform>
            <numerusform>%n edits are not saved. They are kept on this computer and come back the next time you open %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ExportCommand</name>
    <message numerus="yes">
        <source>%n workstream(s)</source>
        <translation>
            <numerusform>%n workstream</numerusform>
            <numerusform>%n workstreams</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n record</numerusform>
            <numerusform>%n records</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CliSnapshot</name>
    <message numerus="yes">
        <source>Dry run: %n change(s) planned, nothing was changed.</source>
        <translation>
            <numerusform>Dry run: %n change planned, nothing was changed.</numerusform>
            <numerusform>Dry run: %n changes planned, nothing was changed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) applied.</source>
        <translation>
            <numerusform>%n change applied.</numerusform>
            <numerusform>%n changes applied.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Apply %n change(s) to %1, a PRODUCTION environment? Type yes to go on: </source>
        <translation>
            <numerusform>Apply %n change to %1, a PRODUCTION environment? Type yes to go on: </numerusform>
            <numerusform>Apply %n changes to %1, a PRODUCTION environment? Type yes to go on: </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Apply %n change(s) to %1? Type yes to go on: </source>
        <translation>
            <numerusform>Apply %n change to %1? Type yes to go on: </numerusform>
            <numerusform>Apply %n changes to %1? Type yes to go on: </numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ApplyWizard</name>
    <message numerus="yes">
        <source>%n value(s) would change. Each is saved only if nobody changed it since it was read; all of them or none. A snapshot of %1 as it is now is kept first.</source>
        <translation>
            <numerusform>%n value would change. It is saved only if nobody changed it since it was read. A snapshot of %1 as it is now is kept first.</numerusform>
            <numerusform>%n values would change. Each is saved only if nobody changed it since it was read; all of them or none. A snapshot of %1 as it is now is kept first.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saving %n change(s)…</source>
        <translation>
            <numerusform>Saving %n change…</numerusform>
            <numerusform>Saving %n changes…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %n change(s) were saved.</source>
        <translation>
            <numerusform>The change was saved.</numerusform>
            <numerusform>All %n changes were saved.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message numerus="yes">
        <source>%n change(s).</source>
        <translation>
            <numerusform>%n change.</numerusform>
            <numerusform>%n changes.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n damaged line(s) skipped.</source>
        <translation>
            <numerusform>%n damaged line skipped.</numerusform>
            <numerusform>%n damaged lines skipped.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EditCommands</name>
    <message numerus="yes">
        <source>Reset %n rows to default</source>
        <translation>
            <numerusform>Reset %n row to default</numerusform>
            <numerusform>Reset %n rows to default</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Revert %n edits</source>
        <translation>
            <numerusform>Revert %n edit</numerusform>
            <numerusform>Revert %n edits</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Discard %n edit(s)</source>
        <translation>
            <numerusform>Discard %n edit</numerusform>
            <numerusform>Discard %n edits</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SaveConfirmDialog</name>
    <message numerus="yes">
        <source>%n fewer</source>
        <translation>
            <numerusform>%n fewer</numerusform>
            <numerusform>%n fewer</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%n&lt;/b&gt; more conversation(s) would close</source>
        <translation>
            <numerusform>&lt;b&gt;%n&lt;/b&gt; more conversation would close</numerusform>
            <numerusform>&lt;b&gt;%n&lt;/b&gt; more conversations would close</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n fewer conversation(s) would close at the preview's time.</source>
        <translation>
            <numerusform>%n fewer conversation would close at the preview's time.</numerusform>
            <numerusform>%n fewer conversations would close at the preview's time.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more conversation(s) would close at the preview's time.</source>
        <translation>
            <numerusform>%n more conversation would close at the preview's time.</numerusform>
            <numerusform>%n more conversations would close at the preview's time.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Save %n change(s)</source>
        <translation>
            <numerusform>Save %n change</numerusform>
            <numerusform>Save %n changes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecoveryMessage</name>
    <message numerus="yes">
        <source>%n of them were being saved when the app closed; that save did not reach the server.</source>
        <translation>
            <numerusform>%n of them was being saved when the app closed; that save did not reach the server.</numerusform>
            <numerusform>%n of them were being saved when the app closed; that save did not reach the server.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%n edit(s) you were saving when the app closed reached the server&lt;/b&gt; and are saved: %1.</source>
        <translation>
            <numerusform>&lt;b&gt;%n edit you were saving when the app closed reached the server&lt;/b&gt; and is saved: %1.</numerusform>
            <numerusform>&lt;b&gt;%n edits you were saving when the app closed reached the server&lt;/b&gt; and are saved: %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) from your last session need no saving: someone set the same value meanwhile: %1.</source>
        <translation>
            <numerusform>%n edit from your last session needs no saving: someone set the same value meanwhile: %1.</numerusform>
            <numerusform>%n edits from your last session need no saving: someone set the same values meanwhile: %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of them changed on the server since you typed them; saving will ask which value to keep.</source>
        <translation>
            <numerusform>%n of them changed on the server since you typed it; saving will ask which value to keep.</numerusform>
            <numerusform>%n of them changed on the server since you typed them; saving will ask which value to keep.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%n unsaved edit(s) from your last session were restored.&lt;/b&gt; Review them, then save (Ctrl+S) or discard them.</source>
        <translation>
            <numerusform>&lt;b&gt;%n unsaved edit from your last session was restored.&lt;/b&gt; Review it, then save (Ctrl+S) or discard it.</numerusform>
            <numerusform>&lt;b&gt;%n unsaved edits from your last session were restored.&lt;/b&gt; Review them, then save (Ctrl+S) or discard them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not be restored: the record no longer exists.</source>
        <translation>
            <numerusform>%n could not be restored: the record no longer exists.</numerusform>
            <numerusform>%n could not be restored: the record no longer exists.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PreviewPanel</name>
    <message numerus="yes">
        <source>&lt;b&gt;Closing job.&lt;/b&gt; A conversation closes by about %n minute(s) after it becomes eligible, when the job next runs (every 5 minutes per the 2024 admin article; an older article says every 24 hours). Change it with “job every”.</source>
        <translation>
            <numerusform>&lt;b&gt;Closing job.&lt;/b&gt; A conversation closes by about %n minute after it becomes eligible, when the job next runs (every 5 minutes per the 2024 admin article; an older article says every 24 hours). Change it with “job every”.</numerusform>
            <numerusform>&lt;b&gt;Closing job.&lt;/b&gt; A conversation closes by about %n minutes after it becomes eligible, when the job next runs (every 5 minutes per the 2024 admin article; an older article says every 24 hours). Change it with “job every”.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>By %1: &lt;b&gt;%2&lt;/b&gt; conversation(s) close either way</source>
        <translation>
            <numerusform>By %1: &lt;b&gt;%2&lt;/b&gt; conversation closes either way</numerusform>
            <numerusform>By %1: &lt;b&gt;%2&lt;/b&gt; conversations close either way</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s) would close at the next run of the closing job (closure preview).</source>
        <translation>
            <numerusform>%n conversation would close at the next run of the closing job (closure preview).</numerusform>
            <numerusform>%n conversations would close at the next run of the closing job (closure preview).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EnvironmentPicker</name>
    <message numerus="yes">
        <source>%n environment(s). Choose one or several (Ctrl or Shift to choose more), then Add.</source>
        <translation>
            <numerusform>%n environment. Choose one or several (Ctrl or Shift to choose more), then Add.</numerusform>
            <numerusform>%n environments. Choose one or several (Ctrl or Shift to choose more), then Add.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&amp;Add %n Profiles</source>
        <translation>
            <numerusform>&amp;Add %n Profile</numerusform>
            <numerusform>&amp;Add %n Profiles</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message numerus="yes">
        <source>Added %n profile(s): %1. Mark production environments as such before you open them.</source>
        <translation>
            <numerusform>Added %n profile: %1. Mark production environments as such before you open them.</numerusform>
            <numerusform>Added %n profiles: %1. Mark production environments as such before you open them.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Duration</name>
    <message numerus="yes">
        <source>Too short: at least %n minute(s).</source>
        <translation>
            <numerusform>Too short: at least %n minute.</numerusform>
            <numerusform>Too short: at least %n minutes.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DurationLineEdit</name>
    <message numerus="yes">
        <source>= %Ln minute(s) (%1)</source>
        <translation>
            <numerusform>= %Ln minute (%1)</numerusform>
            <numerusform>= %Ln minutes (%1)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConfigTableModel</name>
    <message numerus="yes">
        <source>%Ln minute(s)</source>
        <translation>
            <numerusform>%Ln minute</numerusform>
            <numerusform>%Ln minutes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message numerus="yes">
        <source>%n conversation(s) written to %1</source>
        <translation>
            <numerusform>%n conversation written to %1</numerusform>
            <numerusform>%n conversations written to %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s) written</source>
        <translation>
            <numerusform>%n conversation written</numerusform>
            <numerusform>%n conversations written</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of about %n conversation(s) written</source>
        <translation>
            <numerusform>%1 of about %n conversation written</numerusform>
            <numerusform>%1 of about %n conversations written</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PreviewListExport</name>
    <message numerus="yes">
        <source>Exported %1 conversation(s) to %2.</source>
        <translation>
            <numerusform>Exported %1 conversation to %2.</numerusform>
            <numerusform>Exported %1 conversations to %2.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChangeHistoryDialog</name>
    <message numerus="yes">
        <source>%n change(s)</source>
        <translation>
            <numerusform>1 change</numerusform>
            <numerusform>%n changes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) so far; older ones follow</source>
        <translation>
            <numerusform>1 change so far; older ones follow</numerusform>
            <numerusform>%n changes so far; older ones follow</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n change(s)</source>
        <translation>
            <numerusform>%1 of 1 change</numerusform>
            <numerusform>%1 of %n changes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Read the next %n older change(s)</source>
        <translation>
            <numerusform>Read the next older change</numerusform>
            <numerusform>Read the next %n older changes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Snapshot</name>
    <message numerus="yes">
        <source>%n record(s) of the snapshot cannot be matched with certainty.</source>
        <translation>
            <numerusform>%n record of the snapshot cannot be matched with certainty.</numerusform>
            <numerusform>%n records of the snapshot cannot be matched with certainty.</numerusform>
        </translation>
    </message>
</context>
</TS>
