//! Unit enums named on the wire by one list: each variant's name is its
//! `as_str`, every variant is in its `ALL`, and [`wire_names!`] makes its serde
//! impls write and read that name. The name lives once, and the widget's wasm
//! reads every such enum with the one string reader (a visitor per enum, as
//! serde's derive builds, weighed 7 KB).

use serde::de::{self, Deserialize, Deserializer};

/// A unit enum named on the wire by [`WireName::name`].
pub trait WireName: Copy + 'static {
    /// Every variant.
    const VARIANTS: &'static [Self];
    /// What a value is, for an error about an unknown name.
    const WHAT: &'static str;
    /// The variant's wire name.
    fn name(self) -> &'static str;
}

/// Every wire name of `T`, in its order.
pub fn names<T: WireName>() -> Vec<&'static str> {
    T::VARIANTS.iter().map(|variant| variant.name()).collect()
}

/// The variant of `T` named `name`.
pub fn lookup<T: WireName>(name: &str) -> Option<T> {
    T::VARIANTS.iter().copied().find(|variant| variant.name() == name)
}

/// Reads a `T` from its wire name; any other string is refused with an error that says what was expected.
pub fn read<'de, T: WireName, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let name = String::deserialize(deserializer)?;
    lookup(&name).ok_or_else(|| de::Error::custom(format_args!("unknown {} `{name}`", T::WHAT)))
}

/// Implements [`WireName`], `Serialize` and `Deserialize` for unit enums
/// with an inherent `ALL` and `as_str`: `wire_names!(Role: "role", …)`.
macro_rules! wire_names {
    ($($ty:ident: $what:literal),* $(,)?) => {$(
        impl $crate::wire_name::WireName for $ty {
            const VARIANTS: &'static [Self] = &$ty::ALL;
            const WHAT: &'static str = $what;
            fn name(self) -> &'static str {
                $ty::as_str(self)
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::wire_name::read(deserializer)
            }
        }
    )*};
}
pub(crate) use wire_names;

#[cfg(test)]
mod tests {
    use crate::{ErrorCode, MessageKind, PrivateChatPolicy, RateBucket, Role, SendPolicy};

    use super::*;

    fn round_trips<T: WireName + std::fmt::Debug + PartialEq + serde::Serialize + serde::de::DeserializeOwned>() {
        let names = names::<T>();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{}: every name once", T::WHAT);
        for &variant in T::VARIANTS {
            let json = serde_json::to_string(&variant).expect("serializes");
            assert_eq!(json, format!("\"{}\"", variant.name()));
            assert_eq!(serde_json::from_str::<T>(&json).expect("reads"), variant);
        }
        let unknown = serde_json::from_str::<T>("\"Nope\"").expect_err("an unknown name");
        assert!(unknown.to_string().contains(&format!("unknown {} `Nope`", T::WHAT)), "{unknown}");
        assert!(serde_json::from_str::<T>("3").is_err(), "a name is a string");
    }

    #[test]
    fn every_variant_is_written_and_read_by_its_one_name_and_an_unknown_one_is_refused() {
        round_trips::<Role>();
        round_trips::<SendPolicy>();
        round_trips::<PrivateChatPolicy>();
        round_trips::<RateBucket>();
        round_trips::<MessageKind>();
        round_trips::<ErrorCode>();
        assert_eq!(serde_json::to_string(&ErrorCode::PrivateChatRestricted).unwrap(), "\"private_chat_restricted\"");
        assert_eq!(ErrorCode::TooManyReactions.to_string(), "too_many_reactions");
    }
}
