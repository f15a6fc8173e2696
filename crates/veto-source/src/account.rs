/// Whether `text` is an AWS account ID: exactly twelve ASCII digits.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    #[test]
    fn twelve_digits_exactly() {
        assert!(super::is_account_id("111122223333"));
        assert!(!super::is_account_id("11112222333"));
        assert!(!super::is_account_id("11112222333a"));
        assert!(!super::is_account_id("１１１１２２２２３３３３"));
    }
}
