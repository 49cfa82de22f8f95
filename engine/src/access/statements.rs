//! Role and privilege statements, parsed as Postgres reads them: `CREATE ROLE|USER`, `ALTER
//! ROLE|USER`, `DROP ROLE|USER`, `GRANT`/`REVOKE` of privileges or of role membership, `ALTER
//! DEFAULT PRIVILEGES`, `SET ROLE` and `RESET ROLE`. sqlparser reads only some of these forms, and
//! none as Postgres does all of them, so they are parsed here with its building blocks.

use std::collections::BTreeSet;
use std::fmt;

use datafusion::sql::sqlparser::ast::{Ident, ObjectName};
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::Token;
use hangar_catalog::{PUBLIC, Privilege};

/// The keywords that open a role or privilege statement.
pub(crate) const OPENINGS: [&[&str]; 10] = [
    &["CREATE", "ROLE"],
    &["CREATE", "USER"],
    &["ALTER", "ROLE"],
    &["ALTER", "USER"],
    &["DROP", "ROLE"],
    &["DROP", "USER"],
    &["GRANT"],
    &["REVOKE"],
    &["ALTER", "DEFAULT", "PRIVILEGES"],
    &["SET", "ROLE"],
];

/// A password as a statement gives it. Never printed: `Debug` shows `***`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(pub(crate) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The options of `CREATE ROLE` / `ALTER ROLE`; `None` where the statement says nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RoleOptions {
    pub(crate) login: Option<bool>,
    pub(crate) superuser: Option<bool>,
    /// `PASSWORD 'text'` or `PASSWORD NULL`.
    pub(crate) password: Option<Option<Secret>>,
    /// `IN ROLE r, …`: roles the new role becomes a member of.
    pub(crate) in_role: Vec<String>,
}

/// What a privilege statement is about, with names as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Objects {
    /// `ON [TABLE] t, …`
    Tables(Vec<ObjectName>),
    /// `ON ALL TABLES IN SCHEMA s, …`
    AllTablesInSchemas(Vec<String>),
    /// `ON SCHEMA s, …`
    Schemas(Vec<String>),
    /// `ALTER DEFAULT PRIVILEGES IN SCHEMA s, … … ON TABLES`
    FutureTablesInSchemas(Vec<String>),
}

/// A role or privilege statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AccessStatement {
    /// `CREATE ROLE` (`user` for `CREATE USER`, which logs in unless told otherwise).
    CreateRole {
        name: String,
        options: RoleOptions,
        user: bool,
    },
    /// `ALTER ROLE`.
    AlterRole { name: String, options: RoleOptions },
    /// `DROP ROLE [IF EXISTS] r, …`.
    DropRole { names: Vec<String>, if_exists: bool },
    /// `GRANT group, … TO member, …` and its `REVOKE … FROM`.
    Membership {
        groups: Vec<String>,
        members: Vec<String>,
        grant: bool,
    },
    /// `GRANT privileges ON objects TO roles` and its `REVOKE … FROM`.
    Privileges {
        privileges: Privileges,
        objects: Objects,
        roles: Vec<String>,
        grant: bool,
    },
    /// `SET ROLE r` (`Some`), `SET ROLE NONE` and `RESET ROLE` (`None`).
    SetRole(Option<String>),
}

/// The privileges a statement names.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Privileges {
    /// `ALL [PRIVILEGES]`: every privilege the object has.
    All,
    /// The ones listed.
    Some(BTreeSet<Privilege>),
}

/// Whether `words` (the first words of a statement, upper-cased) open an access statement.
pub(crate) fn opens(words: &[String]) -> bool {
    OPENINGS.iter().any(|opening| {
        opening.len() <= words.len() && opening.iter().zip(words).all(|(a, b)| a == b)
    }) || words.len() >= 2 && words[0] == "RESET" && words[1] == "ROLE"
}

/// Parses one access statement from its tokens.
pub(crate) fn parse(tokens: Vec<Token>) -> Result<AccessStatement, ParserError> {
    let mut p = Parser::new(&PostgreSqlDialect {}).with_tokens(tokens);
    let statement = if p.parse_keyword(Keyword::CREATE) {
        let user = p.parse_keyword(Keyword::USER);
        if !user {
            p.expect_keyword_is(Keyword::ROLE)?;
        }
        let name = role_name(&mut p)?;
        let options = role_options(&mut p, true)?;
        AccessStatement::CreateRole {
            name,
            options,
            user,
        }
    } else if p.parse_keywords(&[Keyword::ALTER, Keyword::DEFAULT, Keyword::PRIVILEGES]) {
        default_privileges(&mut p)?
    } else if p.parse_keyword(Keyword::ALTER) {
        if !p.parse_keyword(Keyword::USER) {
            p.expect_keyword_is(Keyword::ROLE)?;
        }
        let name = role_name(&mut p)?;
        let options = role_options(&mut p, false)?;
        if options == RoleOptions::default() {
            return p.expected("a role option (LOGIN, PASSWORD …)", p.peek_token());
        }
        AccessStatement::AlterRole { name, options }
    } else if p.parse_keyword(Keyword::DROP) {
        if !p.parse_keyword(Keyword::USER) {
            p.expect_keyword_is(Keyword::ROLE)?;
        }
        let if_exists = p.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
        let names = p.parse_comma_separated(role_name)?;
        AccessStatement::DropRole { names, if_exists }
    } else if p.parse_keyword(Keyword::GRANT) {
        grant_or_revoke(&mut p, true)?
    } else if p.parse_keyword(Keyword::REVOKE) {
        grant_or_revoke(&mut p, false)?
    } else if p.parse_keyword(Keyword::RESET) {
        p.expect_keyword_is(Keyword::ROLE)?;
        AccessStatement::SetRole(None)
    } else {
        p.expect_keywords(&[Keyword::SET, Keyword::ROLE])?;
        if p.parse_keyword(Keyword::NONE) {
            AccessStatement::SetRole(None)
        } else {
            AccessStatement::SetRole(Some(role_name_or_string(&mut p)?))
        }
    };
    if p.peek_token().token != Token::EOF {
        return p.expected("end of statement", p.peek_token());
    }
    Ok(statement)
}

/// A name as Postgres folds it: unquoted names are lower-cased.
pub(crate) fn folded(ident: &Ident) -> String {
    match ident.quote_style {
        Some(_) => ident.value.clone(),
        None => ident.value.to_lowercase(),
    }
}

fn role_name(p: &mut Parser) -> Result<String, ParserError> {
    Ok(folded(&p.parse_identifier()?))
}

/// `SET ROLE` also takes the name as a string (`SET ROLE 'alice'`).
fn role_name_or_string(p: &mut Parser) -> Result<String, ParserError> {
    if let Token::SingleQuotedString(name) = p.peek_token().token {
        p.next_token();
        return Ok(name);
    }
    role_name(p)
}

fn role_options(p: &mut Parser, creating: bool) -> Result<RoleOptions, ParserError> {
    let _ = p.parse_keyword(Keyword::WITH);
    let mut options = RoleOptions::default();
    while let Token::Word(word) = p.peek_token().token {
        let keyword = word.value.to_ascii_uppercase();
        let flag = |on: &str, off: &str| match keyword.as_str() {
            k if k == on => Some(true),
            k if k == off => Some(false),
            _ => None,
        };
        if let Some(login) = flag("LOGIN", "NOLOGIN") {
            p.next_token();
            options.login = Some(login);
        } else if let Some(superuser) = flag("SUPERUSER", "NOSUPERUSER") {
            p.next_token();
            options.superuser = Some(superuser);
        } else if keyword == "INHERIT" {
            // Members always have their roles' privileges; INHERIT says so.
            p.next_token();
        } else if keyword == "PASSWORD" || keyword == "ENCRYPTED" {
            p.next_token();
            if keyword == "ENCRYPTED" {
                p.expect_keyword_is(Keyword::PASSWORD)?;
            }
            options.password = Some(if p.parse_keyword(Keyword::NULL) {
                None
            } else {
                Some(Secret(p.parse_literal_string()?))
            });
        } else if creating && keyword == "IN" {
            p.next_token();
            if !p.parse_keyword(Keyword::GROUP) {
                p.expect_keyword_is(Keyword::ROLE)?;
            }
            options.in_role = p.parse_comma_separated(role_name)?;
        } else if let Some(unsupported) =
            UNSUPPORTED_OPTIONS.iter().find(|o| keyword.as_str() == **o)
        {
            return Err(ParserError::ParserError(format!(
                "role option {unsupported} is not supported: Hangar's roles have LOGIN, SUPERUSER, PASSWORD{}",
                if creating { " and IN ROLE" } else { "" }
            )));
        } else {
            break;
        }
    }
    Ok(options)
}

/// Role options Postgres has and Hangar does not.
const UNSUPPORTED_OPTIONS: [&str; 13] = [
    "NOINHERIT",
    "CREATEDB",
    "NOCREATEDB",
    "CREATEROLE",
    "NOCREATEROLE",
    "REPLICATION",
    "NOREPLICATION",
    "BYPASSRLS",
    "NOBYPASSRLS",
    "CONNECTION",
    "VALID",
    "ADMIN",
    "SYSID",
];

fn grant_or_revoke(p: &mut Parser, grant: bool) -> Result<AccessStatement, ParserError> {
    if !grant && p.parse_keywords(&[Keyword::GRANT, Keyword::OPTION, Keyword::FOR]) {
        return Err(ParserError::ParserError(
            "GRANT OPTION is not supported: owners and superusers grant".into(),
        ));
    }
    let to = if grant { Keyword::TO } else { Keyword::FROM };
    if !names_objects(p, to) {
        // `GRANT a, b TO c`: role membership.
        let groups = p.parse_comma_separated(role_name)?;
        p.expect_keyword_is(to)?;
        let members = p.parse_comma_separated(grantee)?;
        if grant && p.parse_keywords(&[Keyword::WITH, Keyword::ADMIN, Keyword::OPTION]) {
            return Err(ParserError::ParserError(
                "WITH ADMIN OPTION is not supported: superusers manage memberships".into(),
            ));
        }
        finish_grant(p, grant)?;
        return Ok(AccessStatement::Membership {
            groups,
            members,
            grant,
        });
    }
    let privileges = privileges(p)?;
    p.expect_keyword_is(Keyword::ON)?;
    let objects = objects(p)?;
    p.expect_keyword_is(to)?;
    let roles = p.parse_comma_separated(grantee)?;
    finish_grant(p, grant)?;
    Ok(AccessStatement::Privileges {
        privileges,
        objects,
        roles,
        grant,
    })
}

/// Whether the statement names objects (`… ON …` before `TO`/`FROM`): privileges, not roles.
fn names_objects(p: &Parser, to: Keyword) -> bool {
    for n in 0.. {
        match p.peek_nth_token(n).token {
            Token::EOF => return false,
            Token::Word(w) if w.keyword == Keyword::ON => return true,
            Token::Word(w) if w.keyword == to => return false,
            _ => {}
        }
    }
    false
}

fn finish_grant(p: &mut Parser, grant: bool) -> Result<(), ParserError> {
    if grant && p.parse_keywords(&[Keyword::WITH, Keyword::GRANT, Keyword::OPTION]) {
        return Err(ParserError::ParserError(
            "WITH GRANT OPTION is not supported: owners and superusers grant".into(),
        ));
    }
    if p.parse_keywords(&[Keyword::GRANTED, Keyword::BY]) {
        role_name(p)?;
    }
    if !grant {
        let _ = p.parse_one_of_keywords(&[Keyword::CASCADE, Keyword::RESTRICT]);
    }
    Ok(())
}

fn privileges(p: &mut Parser) -> Result<Privileges, ParserError> {
    if p.parse_keyword(Keyword::ALL) {
        let _ = p.parse_keyword(Keyword::PRIVILEGES);
        return Ok(Privileges::All);
    }
    let names =
        p.parse_comma_separated(|p| Ok(p.parse_identifier()?.value.to_ascii_uppercase()))?;
    let mut set = BTreeSet::new();
    for name in names {
        set.insert(match name.as_str() {
            "SELECT" => Privilege::Select,
            "INSERT" => Privilege::Insert,
            "USAGE" => Privilege::Usage,
            "CREATE" => Privilege::Create,
            other => {
                return Err(ParserError::ParserError(format!(
                    "privilege {other} is not supported: Hangar grants SELECT and INSERT on tables, USAGE and CREATE on schemas"
                )));
            }
        });
    }
    Ok(Privileges::Some(set))
}

fn objects(p: &mut Parser) -> Result<Objects, ParserError> {
    let names = |p: &mut Parser| p.parse_comma_separated(role_name);
    if p.parse_keywords(&[Keyword::ALL, Keyword::TABLES, Keyword::IN, Keyword::SCHEMA]) {
        return Ok(Objects::AllTablesInSchemas(names(p)?));
    }
    if p.parse_keyword(Keyword::SCHEMA) {
        return Ok(Objects::Schemas(names(p)?));
    }
    let _ = p.parse_keyword(Keyword::TABLE)
        || p.parse_keywords(&[Keyword::MATERIALIZED, Keyword::VIEW]);
    Ok(Objects::Tables(
        p.parse_comma_separated(|p| p.parse_object_name(false))?,
    ))
}

/// A grantee: a role, or `PUBLIC` for everyone; `GROUP`/`ROLE` before it changes nothing.
fn grantee(p: &mut Parser) -> Result<String, ParserError> {
    let _ = p.parse_keyword(Keyword::GROUP) || p.parse_keyword(Keyword::ROLE);
    let ident = p.parse_identifier()?;
    if ident.quote_style.is_none() && ident.value.eq_ignore_ascii_case(PUBLIC) {
        return Ok(PUBLIC.to_string());
    }
    Ok(folded(&ident))
}

fn default_privileges(p: &mut Parser) -> Result<AccessStatement, ParserError> {
    if p.parse_keywords(&[Keyword::FOR, Keyword::ROLE])
        || p.parse_keywords(&[Keyword::FOR, Keyword::USER])
    {
        return Err(ParserError::ParserError(
            "ALTER DEFAULT PRIVILEGES FOR ROLE is not supported: default privileges belong to the schema, for tables anyone creates in it".into(),
        ));
    }
    p.expect_keywords(&[Keyword::IN, Keyword::SCHEMA])?;
    let schemas = p.parse_comma_separated(role_name)?;
    let grant = if p.parse_keyword(Keyword::GRANT) {
        true
    } else {
        p.expect_keyword_is(Keyword::REVOKE)?;
        false
    };
    let privileges = privileges(p)?;
    p.expect_keywords(&[Keyword::ON, Keyword::TABLES])?;
    p.expect_keyword_is(if grant { Keyword::TO } else { Keyword::FROM })?;
    let roles = p.parse_comma_separated(grantee)?;
    finish_grant(p, grant)?;
    Ok(AccessStatement::Privileges {
        privileges,
        objects: Objects::FutureTablesInSchemas(schemas),
        roles,
        grant,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::sql::sqlparser::tokenizer::Tokenizer;

    fn parsed(sql: &str) -> Result<AccessStatement, ParserError> {
        parse(
            Tokenizer::new(&PostgreSqlDialect {}, sql)
                .tokenize()
                .unwrap(),
        )
    }

    #[test]
    fn role_statements_read_as_postgres_reads_them() {
        let AccessStatement::CreateRole {
            name,
            options,
            user,
        } = parsed("CREATE USER \"Ann\" WITH PASSWORD 'pw' IN ROLE a, b").unwrap()
        else {
            panic!("a role");
        };
        assert_eq!((name.as_str(), user), ("Ann", true));
        assert_eq!(options.password, Some(Some(Secret("pw".into()))));
        assert_eq!(options.in_role, vec!["a", "b"]);
        assert_eq!(
            parsed("ALTER ROLE Bob NOLOGIN SUPERUSER PASSWORD NULL").unwrap(),
            AccessStatement::AlterRole {
                name: "bob".into(),
                options: RoleOptions {
                    login: Some(false),
                    superuser: Some(true),
                    password: Some(None),
                    in_role: vec![],
                }
            }
        );
        assert_eq!(
            parsed("GRANT a, b TO c").unwrap(),
            AccessStatement::Membership {
                groups: vec!["a".into(), "b".into()],
                members: vec!["c".into()],
                grant: true
            }
        );
        let AccessStatement::Privileges {
            privileges,
            objects,
            roles,
            grant: false,
        } = parsed("REVOKE SELECT, INSERT ON ALL TABLES IN SCHEMA s FROM PUBLIC, GROUP g").unwrap()
        else {
            panic!("a revoke");
        };
        assert_eq!(
            privileges,
            Privileges::Some(BTreeSet::from([Privilege::Select, Privilege::Insert]))
        );
        assert_eq!(objects, Objects::AllTablesInSchemas(vec!["s".into()]));
        assert_eq!(roles, vec!["public", "g"]);
        assert!(matches!(
            parsed("ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT ALL ON TABLES TO r").unwrap(),
            AccessStatement::Privileges {
                privileges: Privileges::All,
                objects: Objects::FutureTablesInSchemas(_),
                ..
            }
        ));
        assert_eq!(
            parsed("SET ROLE 'x'").unwrap(),
            AccessStatement::SetRole(Some("x".into()))
        );
        assert_eq!(
            parsed("RESET ROLE").unwrap(),
            AccessStatement::SetRole(None)
        );
    }

    #[test]
    fn what_hangar_lacks_is_a_clear_syntax_error() {
        for sql in [
            "CREATE ROLE r CREATEDB",
            "GRANT UPDATE ON t TO r",
            "GRANT SELECT ON t TO r WITH GRANT OPTION",
            "ALTER DEFAULT PRIVILEGES FOR ROLE x IN SCHEMA s GRANT SELECT ON TABLES TO r",
            "ALTER ROLE r",
            "DROP ROLE",
            "GRANT SELECT ON t",
        ] {
            assert!(parsed(sql).is_err(), "{sql}");
        }
        // The password never shows in a statement's debug form.
        let debug = format!("{:?}", parsed("CREATE ROLE r PASSWORD 'hunter2'").unwrap());
        assert!(!debug.contains("hunter2"), "{debug}");
    }
}
