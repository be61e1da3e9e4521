//! Sets of Bicep files that call each other, generated from the bytes: parameters, variables,
//! resource names, `parent:`, module parameters and outputs name each other as the bytes
//! choose, often more than once and often in cycles. Bicep rejects a cycle, but an editor sees
//! one halfway through an edit, and each repeat multiplies what a lowering inlines.

use arbitrary::{Result, Unstructured};

/// The files of a set, in one folder; every module statement calls one of them.
pub const FILES: [&str; 3] = ["main.bicep", "a.bicep", "b.bicep"];

/// The text of each of `FILES`.
pub fn files(u: &mut Unstructured) -> Result<Vec<String>> {
    FILES.iter().map(|_| file(u)).collect()
}

fn file(u: &mut Unstructured) -> Result<String> {
    let mut text = String::new();
    for i in 0..3 {
        text += &format!("param p{i} string = {}\n", value(u)?);
    }
    for i in 0..3 {
        text += &format!("var v{i} = {}\n", value(u)?);
    }
    for i in 0..3 {
        let ty = u.choose(&[
            "Microsoft.KeyVault/vaults@2023-07-01",
            "Microsoft.KeyVault/vaults/privateEndpointConnections@2023-07-01",
            "Microsoft.SignalRService/webPubSub/sharedPrivateLinkResources@2024-03-01",
        ])?;
        let parent = match u.ratio(1, 4)? {
            true => format!("  parent: r{}\n", u.int_in_range(0..=2)?),
            false => String::new(),
        };
        let (open, close) = match u.ratio(1, 6)? {
            true => ("[for x in range(0, 2): {", "}]"),
            false => ("{", "}"),
        };
        text += &format!(
            "resource r{i} '{ty}' = {open}\n  name: {}\n{parent}  properties: {{\n    groupId: {}\n  }}\n{close}\n",
            value(u)?,
            value(u)?
        );
    }
    for i in 0..3 {
        text += &format!(
            "module m{i} './{}' = {{\n  name: 'm{i}'\n  params: {{\n    p0: {}\n    p1: {}\n  }}\n}}\n",
            u.choose(&FILES)?,
            value(u)?,
            value(u)?
        );
    }
    for i in 0..2 {
        text += &format!("output o{i} string = {}\n", value(u)?);
    }
    Ok(text)
}

/// A name, or a string interpolating one to three of them.
fn value(u: &mut Unstructured) -> Result<String> {
    let holes = u.int_in_range(0..=3)?;
    if holes == 0 {
        return name(u);
    }
    let mut text = "'".to_string();
    for _ in 0..holes {
        text += &format!("${{{}}}", name(u)?);
    }
    Ok(text + "'")
}

fn name(u: &mut Unstructured) -> Result<String> {
    let i = u.int_in_range(0..=2)?;
    Ok(match u.int_in_range(0..=5)? {
        0 => format!("p{i}"),
        1 => format!("v{i}"),
        2 => format!("r{i}.name"),
        3 => format!("r{i}.id"),
        4 => format!("m{i}.outputs.o{}", u.int_in_range(0..=1)?),
        _ => "'x'".to_string(),
    })
}
