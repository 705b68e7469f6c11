//! `#[derive(TagFirst)]`: the `Deserialize` of an internally tagged enum
//! (`#[serde(tag = "…")]`) that reads its tag as the object's first member and
//! the variant straight from the rest, with no buffering.
//!
//! serde reads an internally tagged enum whole into a private buffer before it
//! looks at the tag, and that buffering is a large share of the widget's wasm
//! (every type inside is read twice over). Our server always writes the tag
//! first (serde's `Serialize` does), so the client needs no buffer: the derive
//! emits, beside the enum, a copy of it without the tag (an externally tagged
//! enum to serde, with `#[serde(remote)]` so it builds the real enum) and a
//! `Deserialize` that hands it `chat_protocol::tag_first::TagFirst`, which
//! presents `{"type": "x", …rest}` as the variant `x` holding `rest`.
//!
//! On a struct with one `#[serde(flatten)]` field (a message's content), the
//! derive reads the other fields with serde's derive from a copy of the struct
//! without that field, sets the members it does not know aside in order, and
//! reads the flattened field from them: serde's `flatten` would buffer the
//! whole object instead.
//!
//! Only `#[serde]` attributes are copied, so every rename, default and alias is
//! serde's own. `Serialize` stays serde's derive.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::{format_ident, quote};
use syn::punctuated::Punctuated;
use syn::{
    parse_macro_input, Attribute, Data, DataEnum, DataStruct, DeriveInput, Error, Expr, Field, Fields, Lit, Meta, Token,
};

/// Derives a tag-first `Deserialize` for an internally tagged enum, or for a
/// struct that flattens one.
#[proc_macro_derive(TagFirst, attributes(serde))]
pub fn derive_tag_first(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(input).unwrap_or_else(Error::into_compile_error).into()
}

/// Derives a `Deserialize` for a struct that reads it from a JSON object only
/// (`chat_protocol::as_object`): serde's own would also build a reader of an
/// array of its fields, which our frames never hold.
#[proc_macro_derive(AsObject, attributes(serde))]
pub fn derive_as_object(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand_as_object(input).unwrap_or_else(Error::into_compile_error).into()
}

fn expand_as_object(input: DeriveInput) -> syn::Result<TokenStream2> {
    let Data::Struct(DataStruct { fields: Fields::Named(fields), .. }) = &input.data else {
        return Err(Error::new_spanned(&input.ident, "AsObject is for structs with named fields"));
    };
    if !input.generics.params.is_empty() {
        return Err(Error::new_spanned(&input.generics, "AsObject does not take generic types"));
    }
    let name = &input.ident;
    let remote = name.to_string();
    let mirror = format_ident!("__AsObject{}", name);
    let container = input.attrs.iter().filter(|attr| is_serde(attr));
    let copies = fields.named.iter().map(|field| {
        let mut field = field.clone();
        field.attrs.retain(is_serde);
        field
    });
    Ok(quote! {
        const _: () = {
            // Only ever used through its `deserialize`, which builds the real struct.
            #[allow(dead_code)]
            #[derive(::serde::Deserialize)]
            #[serde(remote = #remote)]
            #(#container)*
            struct #mirror { #(#copies),* }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    #mirror::deserialize(::chat_protocol::as_object::AsObject(deserializer))
                }
            }
        };
    })
}

fn expand(input: DeriveInput) -> syn::Result<TokenStream2> {
    if !input.generics.params.is_empty() {
        return Err(Error::new_spanned(&input.generics, "TagFirst does not take generic types"));
    }
    match &input.data {
        Data::Enum(data) => expand_enum(&input, data),
        Data::Struct(data) => expand_struct(&input, data),
        Data::Union(_) => Err(Error::new_spanned(&input.ident, "TagFirst is for enums and structs")),
    }
}

fn expand_enum(input: &DeriveInput, data: &DataEnum) -> syn::Result<TokenStream2> {
    let (tag, container) = split_tag(&input.attrs)?;
    let tag = tag.ok_or_else(|| Error::new_spanned(&input.ident, "TagFirst needs #[serde(tag = \"…\")]"))?;
    let name = &input.ident;
    let remote = name.to_string();
    let mirror = format_ident!("__TagFirst{}", name);
    let variants = data.variants.iter().map(|variant| {
        let mut variant = variant.clone();
        variant.attrs.retain(is_serde);
        for field in variant.fields.iter_mut() {
            field.attrs.retain(is_serde);
        }
        variant
    });
    Ok(quote! {
        const _: () = {
            // Only ever used through its `deserialize`, which builds the real enum.
            #[allow(dead_code, clippy::large_enum_variant)]
            #[derive(::serde::Deserialize)]
            #[serde(remote = #remote)]
            #(#[serde(#container)])*
            enum #mirror { #(#variants),* }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    #mirror::deserialize(::chat_protocol::tag_first::TagFirst::new(deserializer, #tag))
                }
            }
        };
    })
}

fn expand_struct(input: &DeriveInput, data: &DataStruct) -> syn::Result<TokenStream2> {
    let Fields::Named(fields) = &data.fields else {
        return Err(Error::new_spanned(&input.ident, "TagFirst needs named fields"));
    };
    let (flattened, others): (Vec<&Field>, Vec<&Field>) = fields.named.iter().partition(|field| is_flattened(field));
    let [flattened] = flattened[..] else {
        return Err(Error::new_spanned(&input.ident, "TagFirst needs exactly one #[serde(flatten)] field"));
    };
    let name = &input.ident;
    let mirror = format_ident!("__TagFirst{}", name);
    let container = input.attrs.iter().filter(|attr| is_serde(attr));
    let copies = others.iter().map(|field| {
        let mut field = (*field).clone();
        field.attrs.retain(is_serde);
        field.vis = syn::Visibility::Inherited;
        field
    });
    let names: Vec<_> = others.iter().map(|field| &field.ident).collect();
    let (flat_name, flat_type) = (&flattened.ident, &flattened.ty);
    Ok(quote! {
        const _: () = {
            #[derive(::serde::Deserialize)]
            #(#container)*
            struct #mirror { #(#copies),* }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    let (fields, #flat_name) =
                        ::chat_protocol::tag_first::with_flattened::<#mirror, #flat_type, D>(deserializer)?;
                    ::core::result::Result::Ok(Self { #(#names: fields.#names,)* #flat_name })
                }
            }
        };
    })
}

fn is_flattened(field: &Field) -> bool {
    field.attrs.iter().filter(|attr| is_serde(attr)).any(|attr| {
        attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .is_ok_and(|metas| metas.iter().any(|meta| meta.path().is_ident("flatten")))
    })
}

fn is_serde(attr: &Attribute) -> bool {
    attr.path().is_ident("serde")
}

/// The container's `tag`, and its other `#[serde]` arguments to keep.
fn split_tag(attrs: &[Attribute]) -> syn::Result<(Option<String>, Vec<Meta>)> {
    let mut tag = None;
    let mut kept = Vec::new();
    for attr in attrs.iter().filter(|attr| is_serde(attr)) {
        for meta in attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)? {
            match &meta {
                Meta::NameValue(pair) if pair.path.is_ident("tag") => match &pair.value {
                    Expr::Lit(literal) => match &literal.lit {
                        Lit::Str(name) => tag = Some(name.value()),
                        other => return Err(Error::new_spanned(other, "the tag is a string")),
                    },
                    other => return Err(Error::new_spanned(other, "the tag is a string")),
                },
                _ => kept.push(meta),
            }
        }
    }
    Ok((tag, kept))
}
