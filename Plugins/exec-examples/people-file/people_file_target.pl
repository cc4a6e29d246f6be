#!/usr/bin/perl
# MISLink's reference target in Perl (core modules only), speaking plugin protocol 1.1.
#
# It keeps people in one JSON file ({"nextId": n, "people": {id: person}}), written whole to a
# temporary file and renamed over the old one, so a crash never leaves half a file. One JSON
# message per line on stdin; one per line on stdout; diagnostics to stderr.
use strict;
use warnings;
use JSON::PP;
use File::Temp qw(tempfile);
use File::Basename qw(dirname);

my $PROTOCOL = "1.1";
my $json = JSON::PP->new->canonical->utf8;
$| = 1;

sub send_message { print $json->encode($_[0]), "\n"; }

my ($path, $store);

sub load {
    return $store if $store;
    if (-e $path) {
        open(my $in, "<", $path) or die { disposition => "retryable", message => "cannot read $path: $!" };
        local $/;
        my $text = <$in>;
        close($in);
        $store = eval { $json->decode($text) } or die { disposition => "permanent", message => "$path is not JSON" };
    } else {
        $store = { nextId => 1, people => {} };
    }
    return $store;
}

sub save {
    my ($handle, $temporary) = tempfile(DIR => dirname($path), UNLINK => 0);
    chmod(0600, $temporary);
    print $handle $json->encode($store);
    close($handle) or die { disposition => "retryable", message => "cannot write $path: $!" };
    rename($temporary, $path) or die { disposition => "retryable", message => "cannot replace $path: $!" };
}

sub person {
    my ($id) = @_;
    my $person = load()->{people}{$id};
    die { disposition => "permanent", message => "no person $id in $path" } unless $person;
    return $person;
}

# The record MISLink sends becomes the person the target keeps: names, ids, contact details, and
# every other field under "fields" for the changes report.
sub apply_record {
    my ($person, $record, $keep_contact_details) = @_;
    for my $key (qw(misId upn niNumber legalForename legalSurname preferredForename preferredSurname dateOfBirth)) {
        $person->{$key} = $record->{$key};
    }
    unless ($keep_contact_details && $person->{registered}) {
        $person->{email} = $record->{email};
        $person->{mobile} = $record->{mobile};
    }
    my %fields;
    for my $key (qw(yearGroup regGroup title post gender)) {
        $fields{$key} = $record->{$key} if defined $record->{$key};
    }
    $person->{fields} = \%fields;
    $person->{role} = $record->{role};
}

my %methods = (
    listPeople => sub {
        my ($id) = @_;
        my $people = load()->{people};
        my $count = 0;
        for my $target_id (sort { $a <=> $b } keys %$people) {
            send_message({ type => "record", id => $id, record => { %{ $people->{$target_id} }, targetId => "$target_id" } });
            $count++;
        }
        send_message({ type => "done", id => $id, count => $count });
    },
    create => sub {
        my ($id, $params) = @_;
        my $store = load();
        my $target_id = $store->{nextId}++;
        my $person = { inRecycleBin => JSON::PP::false, registered => JSON::PP::false, contacts => [] };
        apply_record($person, $params->{record}, 0);
        $store->{people}{$target_id} = $person;
        save();
        send_message({ type => "result", id => $id, result => { targetId => "$target_id" } });
    },
    update => sub {
        my ($id, $params) = @_;
        apply_record(person($params->{targetId}), $params->{record}, $params->{keepContactDetails});
        save();
        send_message({ type => "result", id => $id, result => JSON::PP::null });
    },
    moveToRecycleBin => sub {
        my ($id, $params) = @_;
        person($params->{targetId})->{inRecycleBin} = JSON::PP::true;
        save();
        send_message({ type => "result", id => $id, result => JSON::PP::null });
    },
    restoreFromRecycleBin => sub {
        my ($id, $params) = @_;
        person($params->{targetId})->{inRecycleBin} = JSON::PP::false;
        save();
        send_message({ type => "result", id => $id, result => JSON::PP::null });
    },
    # Protocol 1.1: deletes for good; someone already gone is no error (a purge may run again).
    delete => sub {
        my ($id, $params) = @_;
        my $people = load()->{people};
        if (exists $people->{ $params->{targetId} }) {
            delete $people->{ $params->{targetId} };
            save();
        }
        send_message({ type => "result", id => $id, result => JSON::PP::null });
    },
    replaceContacts => sub {
        my ($id, $params) = @_;
        person($params->{targetId})->{contacts} = $params->{contacts};
        save();
        send_message({ type => "result", id => $id, result => JSON::PP::null });
    },
);

my $hello = $json->decode(scalar <STDIN>);
my ($major) = split(/\./, $hello->{protocol} // "");
if (($major // "") ne "1") {
    send_message({ type => "error", message => "this plugin speaks protocol $PROTOCOL, not " . ($hello->{protocol} // "none") });
    exit 1;
}
$path = $hello->{config}{"people-file"};
unless ($path) {
    send_message({ type => "error", disposition => "permanent", message => "config key 'people-file' is not set" });
    exit 1;
}
send_message({ type => "hello", protocol => $PROTOCOL, manifest => { id => "people-file", role => "target", version => "1.0.0" } });

while (my $line = <STDIN>) {
    my $message = $json->decode($line);
    last if $message->{type} eq "shutdown";
    next unless $message->{type} eq "call";
    my $method = $methods{ $message->{method} };
    my $ok = eval {
        die { disposition => "permanent", message => "method $message->{method} is not served" } unless $method;
        $method->($message->{id}, $message->{params});
        1;
    };
    unless ($ok) {
        my $error = ref($@) ? $@ : { disposition => "retryable", message => "$@" };
        send_message({ type => "error", id => $message->{id}, %$error });
    }
}
exit 0;
