public enum EnvsPlaceholder {}
